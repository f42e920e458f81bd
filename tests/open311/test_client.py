"""A real GeoReport v2 client (the `georeport` package from PyPI) against the live server, in JSON and XML.

The client sends `api_key` only when creating requests (it has no create method yet), so for the GETs that need a
key the test adds it to the client's query parameters, as a partner configuring the library would.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest

from tests.factories import build_city
from xinfang.imports.models import ImportItem
from xinfang.imports.services import verify_item
from xinfang.open311.catalogue import service_code
from xinfang.open311.services import create_partner
from xinfang.org.models import Role

georeport = pytest.importorskip("georeport")  # not yet a project dependency: the test is skipped without it
requests = pytest.importorskip("requests")  # installed with georeport
pytestmark = pytest.mark.django_db(transaction=True)
ACCIDENT = service_code("城乡建设/安全生产/事故处理")


def _with_key(get: Any, key: str) -> Any:
    @functools.wraps(get)
    def keyed(url: str, params: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return get(url, params={**(params or {}), "api_key": key}, **kwargs)

    return keyed


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_services_and_requests(live_server, monkeypatch, fmt):
    city = build_city()
    partner, key = create_partner(name="西地市12345热线", organ=city.bureau)
    root = f"{live_server.url}/open311/v2"
    posted = requests.post(
        f"{root}/requests.{fmt}",
        data={
            "api_key": key,
            "service_code": ACCIDENT,
            "description": "路灯倒伏压坏电动车，请求处理",
            "address_string": "幸福路与和平路口",
        },
        timeout=10,
    )
    assert posted.status_code == 200
    item = ImportItem.objects.get(source=partner.source)
    case = verify_item(item, actor=city.who(city.bureau, Role.TRIAGE_OFFICER))

    client = georeport.GeoReport(root, output_format=fmt)
    services = client.get_service_list()
    accident = next(s for s in services if s["service_code"] == ACCIDENT)
    assert accident["service_name"] == "事故处理" and accident["group"] == "城乡建设"
    definition = client.get_service_definition(ACCIDENT)
    assert definition["service_code"] == ACCIDENT

    monkeypatch.setattr(georeport.georeport.requests, "get", _with_key(requests.get, key))
    found = client.get_service_requests(status="open")
    row = found[0] if isinstance(found, list) else found  # xmltodict gives one element as a dict
    assert row["service_request_id"] == case.petition.number and row["status"] == "open"
    single = client.get_service_request(case.petition.number)
    assert single["service_request_id"] == case.petition.number
    assert "路灯" not in str(single) and "幸福路" not in str(single)
