"""Permissions as a matrix: every role against every transition, and organs against visibility."""

from __future__ import annotations

import pytest

from tests.factories import build_city, register, staff
from tests.lifecycle.legal_world import notice
from xinfang.lifecycle.context import SYSTEM
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.permissions import acting_organ_for, can_view_case, refusal_for_actor
from xinfang.lifecycle.selectors import due_within, my_queue, overdue, petitioner_for, visible_cases
from xinfang.lifecycle.table import TABLE
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db
ORGAN_BOUND = [t for t in TABLE if t.sources and t.actor_organ in ("case", "sender", "review", "re_review")]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_perform_exactly_its_transitions(role: str) -> None:
    city = build_city()
    case = register(city, city.county_housing)
    Case.objects.filter(pk=case.pk).update(
        parent=register(city), review_organ=city.county_gov, re_review_organ=city.gov
    )
    case.refresh_from_db()
    for transition in ORGAN_BOUND:
        where = acting_organ_for(case, transition)
        assert where is not None
        actor = staff(where, role)
        refusal = refusal_for_actor(actor, case, transition)
        assert (refusal is None) == (role in transition.roles), (role, transition.name, refusal)
        if refusal:
            assert transition.label in refusal


def test_right_role_in_the_wrong_organ_is_refused() -> None:
    city = build_city()
    case = register(city, city.county_housing)
    for transition in (t for t in TABLE if t.sources and t.actor_organ == "case"):
        role = sorted(transition.roles)[0]
        for elsewhere in (city.other_county_housing, city.housing, city.bureau):
            refusal = refusal_for_actor(staff(elsewhere, role), case, transition)
            assert refusal is not None and city.county_housing.name in refusal, transition.name


def test_system_only_transitions_are_closed_to_staff_and_vice_versa() -> None:
    city = build_city()
    case = register(city, city.county_housing)
    for transition in (t for t in TABLE if t.sources):
        if transition.system_only:
            assert refusal_for_actor(SYSTEM, case, transition) is None
            assert "由系统" in (refusal_for_actor(staff(city.county_housing, Role.LEADER), case, transition) or "")
        else:
            assert refusal_for_actor(SYSTEM, case, transition) is not None


def test_a_registrar_cannot_take_the_approvers_actions() -> None:
    city = build_city()
    registrar = city.who(city.county_housing, Role.REGISTRAR)
    approver_only = [t for t in TABLE if t.roles == {Role.APPROVER}]
    assert [t.name for t in approver_only] == ["extend"]
    case = register(city, city.county_housing)
    assert "只有审批负责人可以执行“延期办理”" in (refusal_for_actor(registrar, case, approver_only[0]) or "")


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("county_housing", {"county_housing"}),
        ("county_gov", {"county_housing"}),  # a superior sees its subordinates' cases
        ("county_bureau", {"county_housing"}),  # a bureau oversees its government's organs
        ("bureau", {"bureau", "county_housing", "other_county_housing"}),
        ("gov", {"bureau", "county_housing", "other_county_housing"}),
        ("other_county_housing", {"other_county_housing"}),  # another county sees nothing of this one
        ("other_county_gov", {"other_county_housing"}),
        ("housing", set()),  # the city department is not above the county department here
    ],
)
def test_visibility_by_organ(viewer: str, sees: set[str]) -> None:
    city = build_city()
    cases = {
        "bureau": register(city, city.bureau),
        "county_housing": register(city, city.county_housing),
        "other_county_housing": register(city, city.other_county_housing, region_code="990103"),
    }
    person = staff(getattr(city, viewer), Role.LEADER)
    visible = set(visible_cases(person).values_list("pk", flat=True))
    assert {name for name, case in cases.items() if case.pk in visible} == sees
    assert {name for name, case in cases.items() if can_view_case(person, case)} == sees


def test_queues_are_scoped_to_organ_and_role() -> None:
    city = build_city()
    mine = register(city, city.county_housing, when="2026-03-02")
    register(city, city.other_county_housing, when="2026-03-02", region_code="990103")
    triage = city.who(city.county_housing, Role.TRIAGE_OFFICER)
    assert [c.pk for c in my_queue(triage)] == [mine.pk]
    assert my_queue(city.who(city.county_housing, Role.ANALYST)) == []  # analysts act on no case
    perform(mine, "triage", triage, {"category": "grievance"})
    import datetime as dt

    soon = due_within(triage, 3, today=dt.date(2026, 3, 15))
    assert [c.rule for c in soon] == ["receipt_notice"]  # due March 17
    assert [c.rule for c in overdue(triage, today=dt.date(2026, 3, 18))] == ["receipt_notice"]
    assert overdue(city.who(city.other_county_housing, Role.TRIAGE_OFFICER), today=dt.date(2026, 3, 18)) != []
    assert overdue(city.who(city.housing, Role.TRIAGE_OFFICER), today=dt.date(2026, 3, 18)) == []


def test_accuser_identity_is_masked_outside_the_handling_organ() -> None:
    city = build_city()
    case = register(city, city.county_housing, name="举报人张某", request="反映某村干部侵占补偿款")
    perform(case, "triage", city.who(city.county_housing, Role.TRIAGE_OFFICER), {"category": "accusation"})
    case.refresh_from_db()
    assert petitioner_for(city.who(city.county_housing, Role.HANDLER), case).name == "举报人张某"
    # Issue 10, item 2: the handling organ "and, for supervision, its superiors in its own system" see the
    # accuser (this test used to expect the county government to be masked); another system does not.
    assert not petitioner_for(city.who(city.county_gov, Role.LEADER), case).masked
    other = petitioner_for(city.who(city.court, Role.LEADER), case)
    assert other.masked and other.name == "（保密）" and other.contact == "（保密）"


def test_queues_show_the_organs_duties_not_the_petitioners_windows() -> None:
    import datetime as dt

    city = build_city()
    case = register(city, city.county_housing, when="2026-03-02")
    tri, han = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    perform(case, "triage", tri, {"category": "grievance"})
    perform(case, "accept", tri)
    perform(
        case,
        "record_notice",
        tri,
        {"served_on": dt.date.today().isoformat(), "method": "当面", **notice(case, "receipt_notice")},
    )
    perform(case, "investigate", han)
    facts = {"facts": "属实", "reasons": "有据", "legal_basis": "有关规定", "outcome": "upheld"}
    perform(case, "issue_opinion", han, facts)
    told = notice(case, "handling_opinion")
    perform(case, "serve_opinion", han, {"served_on": dt.date.today().isoformat(), "method": "当面", **told})
    window = case.clocks.get(rule="review_request")
    assert due_within(han, 40, today=window.start) == []  # the petitioner's 30 days are not the organ's
    assert overdue(han, today=window.legal_last_day + dt.timedelta(days=1)) == []
