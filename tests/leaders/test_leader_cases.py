"""Leader cases (领导包案, 《信访工作条例》第十八条第二款): who may take a case, the progress rhythm on a moving clock,
closing with an outcome and its reason, and an event for each write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.factories import City, at, build_city, register, staff
from xinfang.audit.models import Event
from xinfang.leaders import selectors, services
from xinfang.leaders.models import Outcome
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role, Staff

pytestmark = pytest.mark.django_db


def _client(person: Staff) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def _case(city: City) -> Case:
    return register(city, city.county_housing, when="2026-03-02")


def test_a_leader_of_the_handling_organ_or_above_takes_a_case_and_no_one_else() -> None:
    city = build_city()
    case = _case(city)
    own = staff(city.county_housing, Role.LEADER, name="局长")
    above = staff(city.county_gov, Role.LEADER, name="县长")
    elsewhere = staff(city.other_county_gov, Role.LEADER, name="乙县县长")
    handler = staff(city.county_housing, Role.HANDLER)
    plan: dict[str, Any] = dict(steps="约见信访人\n协调财政资金", target_date=dt.date(2026, 4, 30))
    with time_machine.travel(at("2026-03-02", 11), tick=False):
        lc = services.take_case(case, own, **plan)
        services.take_case(case, above, **plan)
        with pytest.raises(services.Refused, match="无权查看"):
            services.take_case(case, elsewhere, **plan)
        with pytest.raises(services.Refused, match="只有领导"):
            services.take_case(case, handler, **plan)
        with pytest.raises(services.Refused, match="已包案"):
            services.take_case(case, own, **plan)
        with pytest.raises(services.Refused, match="计划化解日期"):
            services.take_case(case, staff(city.gov, Role.LEADER), steps="x", target_date=None)
    case.refresh_from_db()
    assert case.leader_case is True
    assert lc.rhythm_days == 7  # rules/data/platform/leaders.yaml: progress_every_days
    actions = list(Event.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert actions.count("take_leader_case") == 2 and actions.count("leader_case_plan") == 2


def test_progress_is_due_on_the_rhythm_and_the_page_lists_it() -> None:
    city = build_city()
    case = _case(city)
    leader = staff(city.county_gov, Role.LEADER, name="县长")
    with time_machine.travel(at("2026-03-02", 11), tick=False):
        lc = services.take_case(case, leader, steps="约见信访人", target_date=dt.date(2026, 4, 30))
    (row,) = selectors.my_cases(leader, dt.date(2026, 3, 8))
    assert row.due == dt.date(2026, 3, 9) and not row.is_due
    (row,) = selectors.my_cases(leader, dt.date(2026, 3, 9))
    assert row.is_due
    with time_machine.travel(at("2026-03-09", 9), tick=False):
        page = _client(leader).get("/work/leaders/").content.decode()
        assert "应报进展" in page and case.petition.number in page.split('data-testid="due"')[1].split("</table>")[0]
        response = _client(leader).post(
            f"/work/leaders/cases/{lc.pk}/progress/", {"text": "已约见信访人，核实补偿款数额"}
        )
        assert response.status_code == 302
    (row,) = selectors.my_cases(leader, dt.date(2026, 3, 9))
    assert row.due == dt.date(2026, 3, 16) and not row.is_due
    other = staff(city.county_gov, Role.LEADER)
    with pytest.raises(services.Refused, match="包案领导本人"):
        services.record_progress(lc, other, "代记")
    with pytest.raises(services.Refused, match="进展情况"):
        services.record_progress(lc, leader, "  ")


def test_closing_needs_an_outcome_and_its_reason() -> None:
    city = build_city()
    case = _case(city)
    leader = staff(city.county_gov, Role.LEADER)
    lc = services.take_case(case, leader, steps="约见信访人", target_date=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(services.Refused, match="结果说明"):
        services.close_case(lc, leader, Outcome.RESOLVED, "")
    with pytest.raises(services.Refused, match="化解结果"):
        services.close_case(lc, leader, "maybe", "说明")
    page = _client(leader).post(f"/work/leaders/cases/{lc.pk}/close/", {"outcome": "resolved", "reason": ""})
    assert page.status_code == 302
    lc.refresh_from_db()
    assert lc.is_open
    _client(leader).post(f"/work/leaders/cases/{lc.pk}/close/", {"outcome": "resolved", "reason": "补偿款已付清"})
    lc.refresh_from_db()
    assert lc.outcome == Outcome.RESOLVED and lc.outcome_reason == "补偿款已付清" and not lc.is_open
    assert Event.objects.filter(case_id=case.pk, action="leader_case_close", payload__outcome="resolved").exists()
    with pytest.raises(services.Refused, match="已结案"):
        services.record_progress(lc, leader, "再记")


def test_the_organ_list_shows_subordinate_leader_cases_and_not_other_counties() -> None:
    city = build_city()
    case = _case(city)
    leader = staff(city.county_housing, Role.LEADER, name="局长甲")
    services.take_case(case, leader, steps="约见", target_date=dt.date.today() + dt.timedelta(days=3))
    above = _client(staff(city.county_gov, Role.LEADER)).get("/work/leaders/organ/").content.decode()
    assert "局长甲" in above and case.petition.number in above
    other = _client(staff(city.other_county_gov, Role.LEADER)).get("/work/leaders/organ/").content.decode()
    assert case.petition.number not in other
    assert _client(staff(city.county_housing, Role.HANDLER)).get("/work/leaders/organ/").status_code == 403


def test_the_case_page_sends_a_leader_to_the_plan_and_the_generic_action_does_not_bypass_it() -> None:
    city = build_city()
    case = _case(city)
    leader = staff(city.county_gov, Role.LEADER)
    client = _client(leader)
    page = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert f'href="/work/leaders/take/{case.pk}/"' in page
    response = client.post(f"/work/cases/{case.pk}/act/take_leader_case/", {"leader": "县长"})
    assert response.status_code == 302 and response["Location"] == f"/work/leaders/take/{case.pk}/"
    case.refresh_from_db()
    assert case.leader_case is False
    refused = client.post(f"/work/leaders/take/{case.pk}/", {"steps": "约见信访人", "target_date": ""})
    assert "「计划化解日期」" in refused.content.decode()
    case.refresh_from_db()
    assert case.leader_case is False  # the plan's date is missing: nothing taken
    response = client.post(f"/work/leaders/take/{case.pk}/", {"steps": "约见信访人", "target_date": "2099-01-01"})
    case.refresh_from_db()
    assert case.leader_case is True and response.status_code == 302
