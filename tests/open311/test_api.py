"""Open311 GeoReport v2, exercised with the spec's own request shapes (wiki.open311.org/GeoReport_v2), written by
hand: the example POST of a service request, GET of requests with the standard filters, tokens, service lists and
definitions in JSON and XML, the error format; plus our rules: keys per organ, no personal data, rate limits."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from tests.factories import build_city
from xinfang.imports.models import ImportItem, ItemStatus
from xinfang.imports.services import verify_item
from xinfang.open311.catalogue import service_code
from xinfang.open311.models import ApiCall, Partner
from xinfang.open311.services import create_partner
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
ACCIDENT = service_code("城乡建设/安全生产/事故处理")  # a leaf of the shipped taxonomy (content.yaml)

# The spec's example POST, in our words where the text is the citizen's.
SPEC_POST = {
    "service_code": ACCIDENT,
    "lat": "37.76524078",
    "long": "-122.4212043",
    "address_string": "1234 5th street",
    "email": "smit222@sfgov.edu",
    "device_id": "tt222111",
    "account_id": "123456",
    "first_name": "john",
    "last_name": "smith",
    "phone": "111111111",
    "description": "工地脚手架倒塌压坏路边车辆，请求查处并赔偿",
    "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
}
PERSONAL = ("john", "smith", "111111111", "smit222", "1234 5th street", "脚手架", "37.765", "flickr")


@pytest.fixture
def world():
    city = build_city()
    partner, key = create_partner(name="西地市12345热线", organ=city.bureau)
    _other, other_key = create_partner(name="乙县网格系统", organ=city.other_county_gov)
    return city, partner, key, other_key


def _json(response):
    return json.loads(response.content.decode())


def _post(key, **extra):
    return Client().post(f"{BASE}/requests.json", {"api_key": key, **SPEC_POST, **extra})


def _verified(city, key, **verify):
    token = _json(_post(key))[0]["token"]
    item = ImportItem.objects.get(external_id=token)
    case = verify_item(item, actor=city.who(city.bureau, Role.TRIAGE_OFFICER), **verify)
    return token, case


def test_services_list_json_and_xml():
    response = Client().get(f"{BASE}/services.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    services = _json(response)
    accident = next(s for s in services if s["service_code"] == ACCIDENT)
    assert accident == {
        "service_code": ACCIDENT,
        "service_name": "事故处理",
        "description": "城乡建设/安全生产/事故处理",
        "metadata": True,
        "type": "batch",
        "keywords": "安全生产",
        "group": "城乡建设",
    }
    assert len({s["service_code"] for s in services}) == len(services)
    xml = Client().get(f"{BASE}/services.xml")
    assert xml["Content-Type"].startswith("text/xml")
    assert xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')  # the spec's declaration
    root = ET.fromstring(xml.content)
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("metadata") == "true"


def test_service_definition_json_and_xml():
    definition = _json(Client().get(f"{BASE}/services/{ACCIDENT}.json"))
    assert definition["service_code"] == ACCIDENT
    region = definition["attributes"][0]
    assert (region["code"], region["datatype"], region["required"], region["order"]) == (
        "region_code",
        "string",
        False,
        1,
    )
    root = ET.fromstring(Client().get(f"{BASE}/services/{ACCIDENT}.xml").content)
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [("no", "否"), ("yes", "是")]
    missing = Client().get(f"{BASE}/services/nope.json")
    assert missing.status_code == 404
    assert _json(missing) == [{"code": 404, "description": "service_code 不存在：nope"}]


def test_post_needs_a_valid_key_and_answers_in_the_error_format(world):
    response = Client().post(f"{BASE}/requests.xml", SPEC_POST)
    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert root.findtext("error/description") == "缺少 api_key：请使用本机关发放的合作系统密钥"
    assert _post("wrong-key").status_code == 403


def test_post_answers_with_a_token_and_the_item_waits_for_verification(world):
    city, partner, key, _ = world
    response = _post(key)
    assert response.status_code == 200
    (answer,) = _json(response)
    assert set(answer) == {"token", "service_notice"}
    item = ImportItem.objects.get(external_id=answer["token"])
    assert item.status == ItemStatus.PENDING and item.source == partner.source
    assert item.data["request"] == SPEC_POST["description"]
    assert item.data["name"] == "smithjohn" and item.contact == "111111111"
    assert item.data["region_code"] == city.bureau.region_code
    token = _json(Client().get(f"{BASE}/tokens/{answer['token']}.json", {"api_key": key}))
    assert token == [{"service_request_id": None, "token": answer["token"]}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"service_code": ""}, "缺少 service_code"),
        ({"service_code": "c000"}, "service_code 不存在：c000"),
        ({"description": " "}, "description（诉求）不能为空：请写明请求事项（《信访工作条例》第十九条第一款）"),
        ({"lat": "", "long": "", "address_string": ""}, "须提供位置：lat 和 long，或 address_string，或 address_id"),
        ({"lat": "north"}, "lat 和 long 须同时提供，且为数字"),
        ({"attribute[region_code]": "99"}, "attribute[region_code]（问题发生地）应为六位行政区划代码"),
    ],
)
def test_post_refusals_name_the_parameter(world, change, message):
    _, _, key, _ = world
    response = _post(key, **change)
    assert response.status_code == 400
    assert _json(response) == [{"code": 400, "description": message}]
    assert not ImportItem.objects.exists()


def test_verified_request_round_trips_with_status_and_no_personal_data(world):
    city, _, key, _ = world
    token, case = _verified(city, key)
    number = case.petition.number
    assert _json(Client().get(f"{BASE}/tokens/{token}.json", {"api_key": key})) == [
        {"service_request_id": number, "token": token}
    ]
    listed = Client().get(f"{BASE}/requests.json", {"api_key": key})
    (row,) = _json(listed)
    assert row["service_request_id"] == number
    assert row["status"] == "open"
    assert row["service_code"] == ACCIDENT and row["service_name"] == "事故处理"
    assert row["agency_responsible"] == "西地市信访局"
    assert row["requested_datetime"].endswith("+08:00")
    single = Client().get(f"{BASE}/requests/{number}.xml", {"api_key": key})
    root = ET.fromstring(single.content)
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == number
    for response in (listed, single, Client().get(f"{BASE}/servicerequestupdates.json", {"api_key": key})):
        body = response.content.decode()
        for secret in PERSONAL:
            assert secret not in body


def test_confidential_accusation_publishes_only_neutral_status(world):
    city, _, key, _ = world
    _, case = _verified(city, key, accusation=True)
    (row,) = _json(Client().get(f"{BASE}/requests/{case.petition.number}.json", {"api_key": key}))
    assert (row["status"], row["status_notes"], row["agency_responsible"]) == ("open", "正在办理", "")
    for update in _json(Client().get(f"{BASE}/servicerequestupdates.json", {"api_key": key})):
        assert update["description"] in ("正在办理", "已办结")


def test_a_key_of_another_organ_reads_nothing(world):
    city, _, key, other_key = world
    _, case = _verified(city, key)
    number = case.petition.number
    assert _json(Client().get(f"{BASE}/requests.json", {"api_key": other_key})) == []
    missing = Client().get(f"{BASE}/requests/{number}.json", {"api_key": other_key})
    assert missing.status_code == 404
    assert Client().get(f"{BASE}/requests.json").status_code == 403


def test_get_filters(world):
    city, _, key, _ = world
    _, case = _verified(city, key)
    number = case.petition.number

    def ids(**params):
        return [
            r["service_request_id"] for r in _json(Client().get(f"{BASE}/requests.json", {"api_key": key, **params}))
        ]

    assert ids(status="open") == [number]
    assert ids(status="closed") == []
    assert ids(status="open,closed") == [number]
    assert ids(service_code=ACCIDENT) == [number]
    assert ids(service_code="c000") == []
    assert ids(service_request_id=f"{number},XF0") == [number]
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-01-02T00:00:00Z") == []
    bad = Client().get(f"{BASE}/requests.json", {"api_key": key, "start_date": "yesterday"})
    assert bad.status_code == 400
    assert Client().get(f"{BASE}/requests.json", {"api_key": key, "status": "pending"}).status_code == 400


def test_keys_are_hashed_calls_recorded_and_rate_limited(world):
    _city, partner, key, _ = world
    assert key not in (partner.key_hash, partner.key_prefix) and len(partner.key_hash) == 64
    Partner.objects.filter(pk=partner.pk).update(hourly_limit=3)
    statuses = [Client().get(f"{BASE}/requests.json", {"api_key": key}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    calls = list(ApiCall.objects.filter(partner=partner).values_list("method", "path", "status"))
    assert calls == [("GET", f"{BASE}/requests.json", 200)] * 3 + [("GET", f"{BASE}/requests.json", 429)]
    assert all(key not in path for _, path, _ in calls)


def test_unsupported_method_and_format():
    response = Client().delete(f"{BASE}/services.json")
    assert response.status_code == 405 and _json(response)[0]["code"] == 405
    assert Client().get(f"{BASE}/services.html").status_code == 404


def test_openapi_document_matches_the_responses(world):
    """Each documented path answers, and each response row carries exactly the documented fields."""
    city, _, key, _ = world
    token, case = _verified(city, key)
    doc = _json(Client().get(f"{BASE}/openapi.json"))
    assert doc["openapi"].startswith("3.")
    number = case.petition.number
    concrete = {
        "/services.json": f"{BASE}/services.json",
        "/services/{service_code}.json": f"{BASE}/services/{ACCIDENT}.json",
        "/requests.json": f"{BASE}/requests.json?api_key={key}",
        "/requests/{service_request_id}.json": f"{BASE}/requests/{number}.json?api_key={key}",
        "/tokens/{token}.json": f"{BASE}/tokens/{token}.json?api_key={key}",
        "/servicerequestupdates.json": f"{BASE}/servicerequestupdates.json?api_key={key}",
    }
    assert set(doc["paths"]) == set(concrete)
    for path, url in concrete.items():
        response = Client().get(url)
        assert response.status_code == 200, path
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body = _json(response)
        rows = body if schema["type"] == "array" else [body]
        item_schema = schema["items"] if schema["type"] == "array" else schema
        assert rows, path
        for row in rows:
            assert set(row) == set(item_schema["properties"]) == set(item_schema["required"]), path


def test_partner_guide_is_in_chinese():
    page = Client().get(f"{BASE}/").content.decode()
    assert "合作系统接口说明" in page and "第三十条第三款" in page


def test_service_discovery_in_json_and_xml():
    discovery = _json(Client().get(f"{BASE}/discovery.json"))
    (endpoint,) = discovery["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = ET.fromstring(Client().get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


@pytest.mark.django_db
def test_a_control_character_in_a_key_or_a_path_is_refused_not_a_server_error() -> None:
    """Found by schemathesis on PostgreSQL: a NUL byte in api_key reached the database and gave a 500."""
    from django.test import Client

    client = Client()
    response = client.get("/open311/v2/requests.json", {"api_key": "abc\x00def"})
    assert response.status_code == 403 and "api_key 无效" in response.content.decode()
    assert client.get("/open311/v2/requests/XF%00.json", {"api_key": "abc"}).status_code in (403, 404)
    assert client.get("/open311/v2/services/x%00y.json").status_code == 404
