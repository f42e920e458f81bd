"""Rules found while seeding the demo: each is tested here with the clock moved as a user would see it."""

from __future__ import annotations

import pytest
import time_machine

from tests.factories import at, build_city, organ, register
from tests.lifecycle.legal_world import notice
from xinfang.audit.models import Event
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.scan import scan_deadlines
from xinfang.org.models import Level, OrganKind, Role

pytestmark = pytest.mark.django_db


def test_an_unused_objection_period_lapses_and_is_not_a_breach() -> None:
    city = build_city()
    case = register(city, when="2026-03-02")
    tri = city.who(city.bureau, Role.TRIAGE_OFFICER)
    with time_machine.travel(at("2026-03-02"), tick=False):
        perform(case, "triage", tri, {"category": "grievance"})
        perform(case, "transfer", tri, {"target_organ": city.county_housing})
    county = case.children.get()
    with time_machine.travel(at("2026-03-10"), tick=False):  # 5 working days ended March 9
        result = scan_deadlines()
    objection = county.clocks.get(rule="transfer_objection")
    assert (objection.status, objection.overdue) == ("lapsed", False)
    assert result.windows_lapsed == 1 and result.overdue_marked == 0
    assert Event.objects.filter(case_id=county.pk, action="window_lapsed").exists()
    with time_machine.travel(at("2026-03-10"), tick=False), pytest.raises(Refused, match="提出异议的期间已结束"):
        perform(county, "triage", city.who(city.county_housing, Role.TRIAGE_OFFICER), {"category": "grievance"})
        perform(county, "object", city.who(city.county_housing, Role.TRIAGE_OFFICER), {"reasons": "不属于本局"})


def test_extensions_add_up_to_at_most_the_cap() -> None:
    """Art. 34 (this test used to assert "only once", which the article does not say): any number of
    extensions, "延长期限不得超过30日" in total, each told to the petitioner."""
    city = build_city()
    case = register(city, city.county_housing, when="2026-03-02")
    tri, han = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    approver = city.who(city.county_housing, Role.APPROVER)
    with time_machine.travel(at("2026-03-03"), tick=False):
        perform(case, "triage", tri, {"category": "grievance"})
        perform(case, "accept", tri)
        perform(case, "investigate", han)
        told = notice(case, "extension_notice")
        case = perform(case, "extend", approver, {"reason": "复杂", "days": 20, **told})
        assert case.extension_used and case.clocks.get(rule="handling_extension").days == 20
        with pytest.raises(Refused, match="已延长20日，本次最多还可延长10日"):
            perform(case, "extend", approver, {"reason": "仍需鉴定", "days": 11, **told})
        case = perform(case, "extend", approver, {"reason": "仍需鉴定", "days": 10, **told})
    first, second = case.clocks.filter(rule="handling_extension").order_by("pk")
    assert first.status == "extended" and second.status == "running"
    assert second.start == first.due and (second.due - first.due).days == 10  # May 2 + 20 + 10 days


@pytest.mark.parametrize(
    ("close", "payload"),
    [
        ("conclude_suggestion", {"adoption": "not_adopted", "reply": "暂不采纳，理由如下"}),
        ("refer_out", {"competent_organ": "甲县人民法院"}),
    ],
)
def test_a_written_answer_serves_the_outstanding_receipt_notice(close: str, payload: dict[str, str]) -> None:
    city = build_city()
    case = register(city, city.county_housing, when="2026-03-02")
    tri, han = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    with time_machine.travel(at("2026-03-05"), tick=False):
        perform(case, "triage", tri, {"category": "suggestion"})
        if close == "conclude_suggestion":
            perform(case, "accept", tri)
            perform(case, "start_suggestion_review", han)
            case = perform(case, close, han, payload)
        else:
            case = perform(case, close, tri, payload)
    notice = case.clocks.get(rule="receipt_notice")
    assert notice.status == "met" and not notice.late
    with time_machine.travel(at("2026-04-30"), tick=False):
        assert scan_deadlines().overdue_marked == 0  # a closed case is not reported overdue for it


def test_routing_to_political_legal_organs_stays_at_the_same_level() -> None:
    city = build_city()
    county_court = organ("甲县人民法院", Level.COUNTY, OrganKind.COURT, "990102", city.county_gov)
    other_city_court = organ("东山市中级人民法院", Level.CITY, OrganKind.COURT, "980100", None)
    case = register(city, when="2026-03-02")
    tri = city.who(city.bureau, Role.TRIAGE_OFFICER)
    perform(case, "triage", tri, {"category": "grievance"})
    for wrong in (county_court, other_city_court):
        with pytest.raises(Refused, match="应当转送同级政法部门"):
            perform(case, "route_political_legal", tri, {"target_organ": wrong})
    case = perform(case, "route_political_legal", tri, {"target_organ": city.court})
    assert case.children.get().organ == city.court
