"""Public information (Art. 18(1)): channels, how to query and rate, hearing results; elder mode everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import build_city
from xinfang.portal.models import HearingResult

pytestmark = pytest.mark.django_db
PAGES = [
    "/",
    "/public/submit/",
    "/public/track/",
    "/public/organs/",
    "/public/help/",
    "/public/hearings/",
    "/public/roadmap/",
]


def test_each_organ_publishes_its_address_telephone_and_hours() -> None:
    city = build_city()
    html = Client().get("/public/organs/").content.decode()
    for organ in (city.bureau, city.county_housing, city.court):
        assert organ.name in html and organ.address in html and organ.hours in html
    assert html.count('data-testid="organ"') >= 10


def test_published_hearing_results_are_listed_and_nothing_else() -> None:
    city = build_city()
    empty = Client().get("/public/hearings/").content.decode()
    assert "目前没有公开的复核听证结果" in empty
    HearingResult.objects.create(
        organ=city.gov,
        held_on=dt.date(2026, 6, 3),
        subject="某小区房屋征收补偿标准复核",
        conclusion="经听证，原处理意见认定事实清楚，维持。",
        published_on=dt.date(2026, 6, 10),
    )
    html = Client().get("/public/hearings/").content.decode()
    assert "某小区房屋征收补偿标准复核" in html and "2026年6月3日" in html and city.gov.name in html


def test_help_explains_how_to_query_and_rate_with_the_configured_window() -> None:
    html = Client().get("/public/help/").content.decode()
    assert "查询码" in html and "满意、基本满意、不满意" in html and "30日内评价" in html


@pytest.mark.parametrize("path", PAGES)
def test_elder_mode_can_be_switched_on_and_off_from_every_page(path: str) -> None:
    build_city()
    client = Client()
    html = client.get(path).content.decode()
    assert 'data-testid="elder-toggle"' in html and '<body class="">' in html
    response = client.post("/public/elder/", {"on": "1", "next": path})
    assert response["Location"] == path
    assert '<body class="elder">' in client.get(path).content.decode()
    client.post("/public/elder/", {"on": "0", "next": path})
    assert '<body class="">' in client.get(path).content.decode()


def test_elder_toggle_never_redirects_off_site() -> None:
    response = Client().post("/public/elder/", {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
