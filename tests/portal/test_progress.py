"""Following a petition with its number and query code: the public timeline, deadlines, served notices,
ratings with follow-ups, and review requests online within the window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from tests.factories import City, at, build_city
from tests.portal.helpers import accept, receipt_of, serve_opinion, serve_review_opinion, submit, track
from xinfang.intake.models import Petition
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.portal.models import FollowUp, Rating

pytestmark = pytest.mark.django_db


def review_request(name: str = "request_review") -> dict[str, str]:
    return {"name": name, "reasons": "补偿标准低于同地段评估价格，处理意见未说明依据", "confirm": "on"}


def submitted(city: City, day: str = "2026-03-02") -> tuple[Client, str, str]:
    client = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(at(day), tick=False):
        assert submit(client, city).status_code == 302
        number, code = receipt_of(client)
    return Client(REMOTE_ADDR="198.51.100.8"), number, code  # a fresh browser: only the receipt is known


def delivered(city: City) -> tuple[Client, str, str, Case]:
    """Submitted on 3-2, accepted on 3-5, the opinion served by post on 4-10."""
    client, number, code = submitted(city)
    case = Petition.objects.get(number=number).cases.get()
    with time_machine.travel(at("2026-03-05"), tick=False):
        case = accept(city, case)
    with time_machine.travel(at("2026-04-10"), tick=False):
        serve_opinion(city, case, dt.date(2026, 4, 10))
    return client, number, code, case


def test_the_receipt_alone_finds_the_petition_and_shows_stage_organ_and_deadline() -> None:
    city = build_city()
    client, number, code = submitted(city)
    with time_machine.travel(at("2026-03-03"), tick=False):
        assert client.get(f"/public/track/{number}/").status_code == 302  # not without the code
        response = track(client, number, code.lower().replace("-", ""))  # typed loosely, still found
        assert response["Location"] == f"/public/track/{number}/"
        html = client.get(response["Location"]).content.decode()
    assert city.county_housing.name in html
    assert "已登记" in html
    # 15 days from receipt (Art. 23): 2026-03-02 + 15 = 2026-03-17, a Tuesday.
    assert "受理告知最迟 <strong>2026年3月17日</strong>" in html


def test_overdue_is_shown_plainly_and_staff_names_and_internal_notes_are_not() -> None:
    city = build_city()
    client, number, code = submitted(city)
    case = Petition.objects.get(number=number).cases.get()
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    with time_machine.travel(at("2026-03-25"), tick=False):
        call_command("scan_deadlines")
        perform(case, "supervise", supervisor, {"instruction": "内部督办意见：请住建局王科长尽快办理"})
        track(client, number, code)
        html = client.get(f"/public/track/{number}/").content.decode()
    assert "已超期 8 天" in html
    assert "王科长" not in html and "内部督办意见" not in html
    assert supervisor.display_name not in html


def test_wrong_codes_pause_the_guesser_not_the_petitioner() -> None:
    city = build_city()
    client, number, code = submitted(city)
    with time_machine.travel(at("2026-03-03"), tick=False), override_settings(XINFANG_PORTAL_WRONG_CODES_PER_NUMBER=3):
        for _ in range(3):
            wrong = track(client, number, "AAAA-AAAA")
            assert wrong.status_code == 400 and "编号或查询码不正确" in wrong.content.decode()
        paused = track(client, number, code)  # the guessing address is paused, even with the right code
        assert paused.status_code == 429 and "错误次数过多" in paused.content.decode()
        # A stranger's guesses cannot lock the petitioner out: from another address the right code works.
        assert track(Client(REMOTE_ADDR="192.0.2.1"), number, code).status_code == 302
        # An unknown number gives the same answer as a wrong code: numbers cannot be probed.
        unknown = track(Client(), "XF20269999999", code)
        assert "编号或查询码不正确" in unknown.content.decode()
    with time_machine.travel(at("2026-03-03", 13), tick=False):
        assert track(client, number, code).status_code == 302  # the next hour the right code works


def test_served_opinion_downloads_rating_with_follow_up_and_review_request_in_window() -> None:
    city = build_city()
    client, number, code = submitted(city)
    case = Petition.objects.get(number=number).cases.get()
    with time_machine.travel(at("2026-03-05"), tick=False):
        case = accept(city, case)
    with time_machine.travel(at("2026-03-10"), tick=False):
        track(client, number, code)
        assert (
            client.post(f"/public/track/{number}/rate/", {"aspect": "acceptance", "level": "satisfied"}).status_code
            == 302
        )
        again = client.post(
            f"/public/track/{number}/rate/", {"aspect": "acceptance", "level": "unsatisfied", "reason": "x"}
        )
        assert again.status_code == 400 and "每项只能评价一次" in again.content.decode()
    with time_machine.travel(at("2026-04-10"), tick=False):
        track(client, number, code)  # a month later the session has ended: the receipt finds it again
        html = client.get(f"/public/track/{number}/").content.decode()
        assert "书面答复送达后，可以在此评价" in html
        refused = client.post(f"/public/track/{number}/request/", review_request())
        assert refused.status_code == 400 and "第三十五条" in refused.content.decode()  # premature
        document = serve_opinion(city, case, dt.date(2026, 4, 10))
        html = client.get(f"/public/track/{number}/").content.decode()
        assert "信访处理意见书已送达" in html
        pdf = client.get(f"/public/track/{number}/documents/{document.pk}/")
        assert pdf.content == bytes(document.pdf)
        # The page shows the very last day the clock holds (the rules and the holiday calendar decide it).
        clock = case.clocks.get(rule="review_request")
        assert f"您请求复查最迟 <strong>{clock.legal_last_day:%Y年%-m月%-d日}</strong>" in html
        assert f"最迟于 {clock.legal_last_day:%Y年%-m月%-d日}" in html and city.county_gov.name in html

        no_reason = client.post(f"/public/track/{number}/rate/", {"aspect": "result", "level": "unsatisfied"})
        assert no_reason.status_code == 400 and "不满意的原因" in no_reason.content.decode()
        client.post(
            f"/public/track/{number}/rate/", {"aspect": "result", "level": "unsatisfied", "reason": "补偿标准过低"}
        )
    assert [r.get_level_display() for r in Rating.objects.order_by("aspect")] == ["满意", "不满意"]
    follow_up = FollowUp.objects.get()
    assert follow_up.organ == city.county_housing and follow_up.recorded_at is None

    staff = Client()
    staff.force_login(city.who(city.county_housing, Role.HANDLER).user)
    page = staff.get("/work/follow-ups/").content.decode()
    assert number in page and "补偿标准过低" in page
    staff.post(
        "/work/follow-ups/",
        {
            "follow_up": follow_up.pk,
            f"{follow_up.pk}-outcome": "explained",
            f"{follow_up.pk}-note": "电话回访，已解释补偿标准",
        },
    )
    follow_up.refresh_from_db()
    assert follow_up.outcome == "explained" and follow_up.recorded_by is not None

    with time_machine.travel(at("2026-04-20"), tick=False):
        response = client.post(f"/public/track/{number}/request/", review_request())
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "review_requested" and case.acting_organ == city.county_gov
    assert case.clocks.get(rule="review").start == dt.date(2026, 4, 20)


def test_a_late_review_request_is_refused_with_the_last_day_and_the_article() -> None:
    city = build_city()
    client, number, code, case = delivered(city)
    last = case.clocks.get(rule="review_request").legal_last_day
    with time_machine.travel(at((last + dt.timedelta(days=2)).isoformat()), tick=False):
        track(client, number, code)
        assert "的期限已过" in client.get(f"/public/track/{number}/").content.decode()
        response = client.post(f"/public/track/{number}/request/", review_request())
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{last:%Y年%m月%d日}届满" in html and "第三十五条" in html
    case.refresh_from_db()
    assert case.state == "opinion_delivered"


def test_a_rating_window_closes() -> None:
    city = build_city()
    client, number, code = submitted(city)
    case = Petition.objects.get(number=number).cases.get()
    with time_machine.travel(at("2026-03-05"), tick=False):
        accept(city, case)
    with time_machine.travel(at("2026-04-30"), tick=False):
        track(client, number, code)
        assert "评价期限已于 2026年4月4日 届满" in client.get(f"/public/track/{number}/").content.decode()
        late = client.post(f"/public/track/{number}/rate/", {"aspect": "acceptance", "level": "satisfied"})
    assert late.status_code == 400 and not Rating.objects.exists()


def test_the_portal_shows_no_identifying_detail_even_for_an_accusation() -> None:
    city = build_city()
    client, number, code = submitted(city)
    case = Petition.objects.get(number=number).cases.get()
    triage = city.who(city.county_housing, Role.TRIAGE_OFFICER)
    with time_machine.travel(at("2026-03-03"), tick=False):
        perform(case, "triage", triage, {"category": "accusation", "accused_organ": city.county_land.pk})
        track(client, number, code)
        html = client.get(f"/public/track/{number}/").content.decode()
    for detail in ("王秀兰", "11010519491231002X", "13800001111", "幸福路", triage.display_name):
        assert detail not in html


def test_re_review_is_requested_online_from_the_review_opinion_and_names_the_re_review_organ() -> None:
    city = build_city()
    client, number, code, case = delivered(city)
    with time_machine.travel(at("2026-04-13"), tick=False):
        track(client, number, code)
        client.post(f"/public/track/{number}/request/", review_request())
    case.refresh_from_db()
    with time_machine.travel(at("2026-05-08"), tick=False):
        serve_review_opinion(city, case, dt.date(2026, 5, 8))
        track(client, number, code)
        html = client.get(f"/public/track/{number}/").content.decode()
        assert "请求复核" in html and city.gov.name in html
        response = client.post(f"/public/track/{number}/request/", review_request("request_re_review"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "re_review_requested" and case.acting_organ == city.gov
