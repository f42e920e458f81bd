"""Issue 10, item 6: an online review (re-review) request carries the petitioner's reasons and an explicit
confirmation naming the organ that receives it and the last day; the event and the timeline name that organ."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.factories import at, build_city
from tests.portal.helpers import serve_review_opinion, track
from tests.portal.test_progress import delivered
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem

pytestmark = pytest.mark.django_db
REASONS = "补偿标准低于同地段评估价格，处理意见没有说明依据"


def steps_of(html: str) -> list[str]:
    block = html.split('data-testid="steps"', 1)[1].split("</ol>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).split(" ", 1)[1].strip() for item in block.split("<li>")[1:]]


def test_the_form_asks_for_reasons_and_a_confirmation_naming_the_review_organ_and_the_last_day() -> None:
    city = build_city()
    client, number, code, case = delivered(city)
    last = case.clocks.get(rule="review_request").legal_last_day
    with time_machine.travel(at("2026-04-13"), tick=False):
        track(client, number, code)
        html = client.get(f"/public/track/{number}/").content.decode()
    box = html.split('data-testid="request"', 1)[1].split("</section>", 1)[0]
    assert "请求复查的理由 *" in box and 'name="reasons"' in box
    assert 'type="checkbox" name="confirm"' in box
    confirmation = re.sub(r"<[^>]+>|\s+", "", box.split('for="request-confirm"', 1)[1].split("</label>", 1)[0])
    assert f"我确认向{city.county_gov.name}请求复查" in confirmation
    assert f"{last:%Y年%-m月%-d日}" in confirmation


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reasons": "  ", "confirm": "on"}, "reasons", "请填写「请求复查的理由」"),
        ({"reasons": REASONS}, "confirm", "请勾选确认后再提交复查请求"),
    ],
)
def test_without_reasons_or_confirmation_nothing_is_requested_and_the_text_is_kept(
    data: dict[str, str], field: str, message: str
) -> None:
    city = build_city()
    client, number, code, case = delivered(city)
    with time_machine.travel(at("2026-04-13"), tick=False):
        track(client, number, code)
        response = client.post(f"/public/track/{number}/request/", {"name": "request_review", **data})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="err-{field}">{message}' in html
    if data["reasons"].strip():
        assert REASONS in html  # what the petitioner wrote is kept
    case.refresh_from_db()
    assert case.state == "opinion_delivered"
    assert not Event.objects.filter(action="request_review").exists()


def test_the_request_event_carries_the_reasons_and_names_the_review_then_the_re_review_organ() -> None:
    city = build_city()
    client, number, code, case = delivered(city)  # handled by the county housing bureau
    with time_machine.travel(at("2026-04-13"), tick=False):
        track(client, number, code)
        data = {"name": "request_review", "reasons": f"  {REASONS}  ", "confirm": "on"}
        response = client.post(f"/public/track/{number}/request/", data)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert f"您的复查请求已提交{city.county_gov.name}" in page
    review = Event.objects.get(action="request_review")
    # Art. 35: the review is requested from the superior of the organ that handled it: the county government.
    assert review.organ_id == city.county_gov.pk
    assert review.payload["reasons"] == REASONS and review.payload["received_on"] == "2026-04-13"
    assert review.actor_label == "信访人（网上信访平台）"
    assert "已收到您的复查请求 " + city.county_gov.name in steps_of(page)
    assert "已收到您的复查请求 " + city.county_housing.name not in steps_of(page)

    case.refresh_from_db()
    with time_machine.travel(at("2026-05-08"), tick=False):
        serve_review_opinion(city, case, dt.date(2026, 5, 8))
        track(client, number, code)
        data = {"name": "request_re_review", "reasons": "复查意见维持原意见，但未回应评估价格问题", "confirm": "on"}
        response = client.post(f"/public/track/{number}/request/", data)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    re_review = Event.objects.get(action="request_re_review")
    # Art. 36(1): the re-review is requested from the superior of the review organ: the city government.
    assert re_review.organ_id == city.gov.pk
    assert re_review.payload["reasons"] == "复查意见维持原意见，但未回应评估价格问题"
    assert "已收到您的复核请求 " + city.gov.name in steps_of(page)
    assert first_problem() is None
