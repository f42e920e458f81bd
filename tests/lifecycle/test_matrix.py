"""Every transition tried from every state: allowed ones succeed with the right clocks; the rest are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import transaction

from tests.factories import City, at, build_city, register
from tests.lifecycle.legal_world import notice
from xinfang.audit.models import Event
from xinfang.lifecycle import clocks
from xinfang.lifecycle.context import SYSTEM, Actor, Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case, Clock, ClockStatus
from xinfang.lifecycle.states import State, Via
from xinfang.lifecycle.table import BY_NAME, RESUME, SAME, TABLE
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db
NOW = "2026-06-10"
TODAY = dt.date.fromisoformat(NOW)


@dataclass
class Setup:
    case: Case
    actor: Actor
    payload: dict[str, Any] = field(default_factory=dict)
    started: tuple[str, ...] = ()  # rules expected running after
    stopped: tuple[tuple[str, str], ...] = ()  # (rule, status) expected after


def place(case: Case, state: str, **fields: Any) -> Case:
    Clock.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(state=state, **fields)
    case.refresh_from_db()
    return case


def clock(case: Case, rule: str, start: str, organ: Any = None, **fields: Any) -> Clock:
    started = Event.objects.filter(case_id=case.pk).order_by("-seq").first()
    days = 20 if rule == "assignment_report" else None
    made = clocks.start_clock(case, rule, dt.date.fromisoformat(start), organ or case.organ, started, days=days)
    if fields:
        Clock.objects.filter(pk=made.pk).update(**fields)
        made.refresh_from_db()
    return made


def at_county(city: City, state: str, category: str = "grievance", **fields: Any) -> Case:
    """A case at the county housing bureau, received by transfer from the city bureau."""
    parent = register(city, when="2026-06-01")
    parent = place(parent, State.TRANSFERRED, category=category)
    child = register(city, city.county_housing, when="2026-06-01")
    Case.objects.filter(pk=child.pk).update(
        parent=parent, via=Via.TRANSFER, matter=parent.matter, petition=parent.petition
    )
    return place(child, state, category=category, **fields)


def who(city: City, organ: Any, role: str) -> Actor:
    return city.who(organ, role)


def recipes(city: City) -> dict[str, Callable[[str], Setup]]:
    c = city
    tri, han, reg = Role.TRIAGE_OFFICER, Role.HANDLER, Role.REGISTRAR

    def bureau(state: str, **fields: Any) -> Case:
        return place(register(c, when="2026-06-05"), state, **fields)

    def not_reaccept(state: str) -> Setup:
        case = bureau(state, category="grievance")
        case.matter.final_at = at("2026-01-01")
        case.matter.save()
        clock(case, "bureau_disposition", "2026-06-05")
        return Setup(
            case,
            who(c, c.bureau, tri),
            {"same_facts_confirmed": True, "guidance": "已复核终结，做好疏导"},
            stopped=(("bureau_disposition", "met"),),
        )

    def not_accept(state: str) -> Setup:
        case = bureau(state, category="grievance")
        pending = register(c, c.county_housing, when="2026-05-01")
        Case.objects.filter(pk=pending.pk).update(matter=case.matter, state=State.INVESTIGATING)
        return Setup(case, who(c, c.bureau, tri))

    def routed(target: Any, category: str = "grievance", **extra: Any) -> Callable[[str], Setup]:
        def make(state: str) -> Setup:
            case = bureau(state, category=category)
            clock(case, "bureau_disposition", "2026-06-05")
            return Setup(
                case, who(c, c.bureau, tri), {"target_organ": target, **extra}, stopped=(("bureau_disposition", "met"),)
            )

        return make

    def assign(state: str) -> Setup:
        setup = routed(c.county_housing, days=20)(state)
        setup.started = ("assignment_report",)
        return setup

    def county(state: str, category: str = "grievance", role: str = tri, **fields: Any) -> Case:
        return at_county(c, state, category, **fields)

    def objection(name: str) -> Callable[[str], Setup]:
        def make(state: str) -> Setup:
            case = county(state)
            clock(case, "receipt_notice", "2026-06-01")
            return Setup(case, who(c, c.bureau, tri), {"reasons": "不属于本机关职权范围"})

        return make

    def working(state: str, **fields: Any) -> Case:
        case = county(state, accepted_at=at("2026-06-02"), **fields)
        clock(case, "handling", "2026-06-02")
        return case

    def review_case(state: str, **fields: Any) -> Case:
        return county(state, review_organ=c.county_gov, acting_organ=c.county_gov, **fields)

    def re_review_case(state: str, **fields: Any) -> Case:
        return review_case(state, re_review_organ=c.gov, **fields)

    def assigned(state: str, report: str = "") -> Case:
        case = bureau(state, category="grievance", completion_report=report)
        child = register(c, c.county_housing, when="2026-06-05")
        Case.objects.filter(pk=child.pk).update(parent=case, via=Via.ASSIGNMENT)
        clock(case, "assignment_report", "2026-06-05", c.county_housing)
        return case

    def extend(state: str) -> Setup:
        case = working(state)
        return Setup(
            case,
            who(c, c.county_housing, Role.APPROVER),
            {"reason": "需要补充测绘", "days": 30},
            started=("handling_extension",),
            stopped=(("handling", "extended"),),
        )

    r: dict[str, Callable[[str], Setup]] = {
        "register": lambda s: Setup(bureau(s), who(c, c.bureau, reg), started=("bureau_disposition",)),
        "triage": lambda s: Setup(bureau(s), who(c, c.bureau, tri), {"category": "grievance"}),
        "not_reaccept": not_reaccept,
        "not_accept": not_accept,
        "transfer": routed(c.county_housing),
        "assign": assign,
        "escalate": lambda s: Setup(bureau(s), who(c, c.bureau, tri), {"report": "涉及群体性诉求，报请市委市政府决定"}),
        "route_political_legal": routed(c.court),
        "route_discipline": routed(c.discipline, "accusation"),
        "refer_out": lambda s: Setup(county(s), who(c, c.county_housing, tri), {"competent_organ": "甲县人民法院"}),
        "accept": lambda s: (
            lambda case: (
                clock(case, "transfer_objection", "2026-06-09"),
                Setup(case, who(c, c.county_housing, tri), stopped=(("transfer_objection", "cancelled"),)),
            )[1]
        )(county(s)),
        "object": lambda s: (
            lambda case: (
                clock(case, "transfer_objection", "2026-06-09"),
                Setup(
                    case,
                    who(c, c.county_housing, tri),
                    {"reasons": "属于自然资源部门职责"},
                    stopped=(("transfer_objection", "met"),),
                ),
            )[1]
        )(county(s)),
        "approve_objection": objection("approve_objection"),
        "take_back": lambda s: Setup(bureau(s), who(c, c.bureau, tri)),
        "reject_objection": objection("reject_objection"),
        "designate": lambda s: Setup(county(s), who(c, c.county_gov, Role.LEADER), {"target_organ": c.county_land}),
        "start_suggestion_review": lambda s: Setup(county(s, "suggestion"), who(c, c.county_housing, han)),
        "conclude_suggestion": lambda s: Setup(
            county(s, "suggestion"),
            who(c, c.county_housing, han),
            {"adoption": "partly_adopted", "reply": "部分采纳，已纳入明年计划"},
        ),
        "start_accusation_handling": lambda s: Setup(county(s, "accusation"), who(c, c.county_housing, han)),
        "conclude_accusation": lambda s: Setup(
            county(s, "accusation"), who(c, c.county_housing, han), {"result": "已查实并处理"}
        ),
        "divert": lambda s: Setup(
            county(s),
            who(c, c.county_housing, han),
            {"target_procedure": "arbitration", "guidance": "请向劳动人事争议仲裁委员会申请仲裁"},
        ),
        "perform_duty": lambda s: Setup(county(s), who(c, c.county_housing, han)),
        "complete_duty": lambda s: Setup(county(s), who(c, c.county_housing, han), {"result": "已责令施工单位整改"}),
        "investigate": lambda s: Setup(
            county(s, accepted_at=at("2026-06-02")), who(c, c.county_housing, han), started=("handling",)
        ),
        "extend": extend,
        "start_hearing": lambda s: Setup(working(s), who(c, c.county_housing, han)),
        "end_hearing": lambda s: Setup(
            working(s, resume_state=State.EXTENDED), who(c, c.county_housing, han), {"conclusion": "听证认为事实清楚"}
        ),
        "start_mediation": lambda s: Setup(working(s), who(c, c.county_housing, han), {"consent": True}),
        "settle": lambda s: Setup(
            working(s), who(c, c.county_housing, han), {"agreement": "双方达成补偿协议"}, stopped=(("handling", "met"),)
        ),
        "end_mediation": lambda s: Setup(working(s, resume_state=State.INVESTIGATING), who(c, c.county_housing, han)),
        "issue_opinion": lambda s: Setup(
            working(s),
            who(c, c.county_housing, han),
            {
                "outcome": "upheld",
                "facts": "经查属实",
                "reasons": "协议约定",
                "legal_basis": "《国有土地上房屋征收与补偿条例》第二十七条",
            },
            stopped=(("handling", "met"),),
        ),
        "serve_opinion": lambda s: Setup(
            county(s),
            who(c, c.county_housing, han),
            {"served_on": "2026-06-09", "method": "当面"},
            started=("review_request",),
        ),
        "request_review": lambda s: (
            lambda case: (
                clock(case, "review_request", "2026-06-01"),
                Setup(
                    case,
                    who(c, c.county_gov, reg),
                    {"received_on": NOW},
                    started=("review",),
                    stopped=(("review_request", "met"),),
                ),
            )[1]
        )(county(s)),
        "close_no_review": lambda s: (
            lambda case: (
                clock(case, "review_request", "2026-04-01"),
                Setup(case, SYSTEM, stopped=(("review_request", "lapsed"),)),
            )[1]
        )(county(s)),
        "decide_review": lambda s: (
            lambda case: (
                clock(case, "review", "2026-06-01", c.county_gov),
                Setup(
                    case,
                    who(c, c.county_gov, han),
                    {"decision": "维持原处理意见", "changed": "否", "served_on": NOW},
                    started=("re_review_request",),
                    stopped=(("review", "met"),),
                ),
            )[1]
        )(review_case(s)),
        "request_re_review": lambda s: (
            lambda case: (
                clock(case, "re_review_request", "2026-06-01"),
                Setup(case, who(c, c.gov, reg), {"received_on": NOW}, started=("re_review",)),
            )[1]
        )(review_case(s)),
        "close_no_re_review": lambda s: (
            lambda case: (
                clock(case, "re_review_request", "2026-04-01"),
                Setup(case, SYSTEM, stopped=(("re_review_request", "lapsed"),)),
            )[1]
        )(review_case(s)),
        "start_re_review_hearing": lambda s: (
            lambda case: (clock(case, "re_review", "2026-06-01", c.gov), Setup(case, who(c, c.gov, han)))[1]
        )(re_review_case(s)),
        "end_re_review_hearing": lambda s: (
            lambda case: (
                clock(
                    case, "re_review", "2026-06-01", c.gov, status=ClockStatus.PAUSED, paused_since=dt.date(2026, 6, 5)
                ),
                Setup(case, who(c, c.gov, han), {"conclusion": "听证结束"}, started=("re_review",)),
            )[1]
        )(re_review_case(s)),
        "issue_re_review_opinion": lambda s: (
            lambda case: (
                clock(case, "re_review", "2026-06-01", c.gov),
                Setup(
                    case,
                    who(c, c.gov, han),
                    {"decision": "维持复查意见", "changed": "否"},
                    stopped=(("re_review", "met"),),
                ),
            )[1]
        )(re_review_case(s)),
        "submit_completion_report": lambda s: Setup(
            assigned(s),
            who(c, c.county_housing, han),
            {"report": "已办结，详见报告"},
            stopped=(("assignment_report", "met"),),
        ),
        "accept_completion_report": lambda s: Setup(assigned(s, report="已办结"), who(c, c.bureau, tri)),
        "reject_completion_report": lambda s: Setup(
            assigned(s, report="已办结"),
            who(c, c.bureau, tri),
            {"reason": "未附调查材料", "days": 10},
            started=("assignment_report",),
        ),
        "record_notice": lambda s: (
            lambda case: (
                clock(case, "receipt_notice", "2026-06-01"),
                Setup(
                    case,
                    who(c, c.county_housing, reg),
                    {"served_on": "2026-06-09", "method": "邮寄"},
                    stopped=(("receipt_notice", "met"),),
                ),
            )[1]
        )(county(s)),
        "supervise": lambda s: Setup(
            county(s), who(c, c.bureau, Role.SUPERVISOR), {"instruction": "请于5日内报送办理情况"}
        ),
        "take_leader_case": lambda s: Setup(county(s), who(c, c.county_gov, Role.LEADER), {"leader": "县长"}),
    }
    return r


TRANSITIONS = [t.name for t in TABLE if t.sources]


def test_every_transition_has_a_recipe() -> None:
    city = build_city()
    assert set(recipes(city)) == set(TRANSITIONS)


class Rollback(Exception):
    pass


@pytest.mark.parametrize("name", TRANSITIONS)
def test_transition_from_every_state(name: str) -> None:
    transition = BY_NAME[name]
    city = build_city()
    outcomes: dict[str, str] = {}
    with time_machine.travel(at(NOW), tick=False):
        source = sorted(transition.sources)[0]
        setup = recipes(city)[name](source)  # built once; each state is tried in a savepoint
        if transition.notice:  # the petitioner is told by an issued document (notices.py)
            setup.payload.update(notice(setup.case, transition.notice))
        for state in State:
            try:
                with transaction.atomic():
                    Case.objects.filter(pk=setup.case.pk).update(state=state)
                    try:
                        case = perform(setup.case.pk, name, setup.actor, setup.payload)
                    except Refused as refusal:
                        outcomes[state] = "refused"
                        if state in transition.sources:
                            pytest.fail(f"{name} from {state} refused: {refusal.message}")
                        assert "不能执行" in refusal.message and transition.label in refusal.message
                        raise Rollback from None
                    outcomes[state] = "done"
                    assert state in transition.sources, f"{name} was allowed from {state}"
                    expected = {SAME: state, RESUME: setup.case.resume_state or State.INVESTIGATING}.get(
                        transition.target, transition.target
                    )
                    assert case.state == expected
                    assert case.version == setup.case.version + 1
                    running = set(case.clocks.filter(status=ClockStatus.RUNNING).values_list("rule", flat=True))
                    assert set(setup.started) <= running, (name, state, running)
                    for rule, status in setup.stopped:
                        assert case.clocks.filter(rule=rule, status=status).exists(), (name, rule, status)
                    event = Event.objects.order_by("-seq").filter(case_id=case.pk, action=name).first()
                    assert event is not None and (event.from_state, event.to_state) == (state, expected)
                    assert event.basis == transition.basis
                    raise Rollback
            except Rollback:
                pass
    assert {s for s, o in outcomes.items() if o == "done"} == set(transition.sources)
