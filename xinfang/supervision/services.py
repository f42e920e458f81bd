"""Writes of supervision: orders (督办) and the three recommendations (Art. 40), each with its audit event.

Opening an order performs the table's `supervise` transition on each of its cases through
`lifecycle.engine.perform`, so that the case's own event chain shows it; the order, its replies, urgings,
listing and closing are events of the supervising bureau.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.deadlines.selectors import deadline as compute_deadline
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.table import BY_NAME
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Organ, Role, Staff

from .assignments import (  # higher-level assignments and backlog campaigns
    AssignmentRefused,
    create_campaign,
    record_assignment,
    record_progress,
    report_assignment,
    scan_assignments,
)
from .models import WAITING, Kind, Order, OrderState, Reason, Recommendation, RecState, Reply
from .reviews import ReviewRefused, confirm_review, open_reviews  # the quality review's writes (评查)

ART_40_1 = "《信访工作条例》第四十条第一款"
ART_39_3 = "《信访工作条例》第三十九条第三款"
ART_40_4 = "《信访工作条例》第四十条第四款"
REC_BASIS = {
    Kind.IMPROVE: "《信访工作条例》第四十条第一款、第四款",
    Kind.POLICY: "《信访工作条例》第四十条第二款、第四款",
    Kind.ACCOUNTABILITY: "《信访工作条例》第四十条第三款、第四款",
}
# Who answers for the handling organ.
ANSWERING = (Role.HANDLER, Role.APPROVER, Role.TRIAGE_OFFICER, Role.LEADER)


__all__ = [  # and the functions below
    "AssignmentRefused",
    "ReviewRefused",
    "confirm_review",
    "create_campaign",
    "open_reviews",
    "record_assignment",
    "record_progress",
    "report_assignment",
]


class SupervisionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def reply_deadline(start: dt.date, organ: Organ) -> dt.date:
    """The default answer date of an order opened (or urged) on ``start``: rule `supervision_reply`."""
    return compute_deadline("supervision_reply", start, region=organ.region_code).due


def _require_supervisor(actor: Staff) -> None:
    if not actor.has_role(Role.SUPERVISOR) or not actor.organ.is_petition_bureau:
        raise SupervisionRefused(f"只有信访部门的督查员可以督办（{ART_40_1}）")


def _require_overseer(actor: Staff, organ: Organ) -> None:
    _require_supervisor(actor)
    if not actor.organ.oversees(organ):
        raise SupervisionRefused(f"{organ.name}不在{actor.organ.name}的督办范围内（{ART_40_1}）")


def _event(action: str, order: Order, actor: Staff, now: dt.datetime, basis: str, **payload: Any) -> None:
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=order.organ,
        basis=basis,
        payload={"order": order.pk, "handling_organ": order.handling_organ.name, **payload},
    )


def _supervise_case(case: Case, actor: Staff, requirement: str, now: dt.datetime) -> None:
    """The table's `supervise` step on a running case (the engine checks who may); a closed case (e.g. 程序性
    办结) keeps its state and gets the order as an event of its own."""
    if case.state in BY_NAME["supervise"].sources:
        try:
            perform(case, "supervise", actor, {"instruction": requirement}, now=now)
        except Refused as refused:
            raise SupervisionRefused(f"案件{case.petition.number}：{refused.message}") from refused
        return
    _require_overseer(actor, case.organ)
    record_event(
        action="supervise_closed_case",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=case.pk,
        petition_id=case.petition_id,
        basis=ART_40_1,
        payload={"instruction": requirement},
    )


def _document_step(step: Any) -> Any:
    try:
        return step()
    except documents.DocumentRefused as refused:
        raise SupervisionRefused(str(refused)) from refused


def _letter(order: Order, cases: list[Case], actor: Staff, now: dt.datetime) -> Document:
    """The 督办函, filled from the order and issued with its number (the kind needs no approval)."""
    letter = documents.draft(cases[0], "supervision_letter", actor, now=now)
    content = {
        "receiving_organ": order.handling_organ.name,
        "cases": "、".join(c.petition.number for c in cases),
        "reason": order.get_reason_display(),
        "requirement": order.requirement,
        "reply_deadline": f"请于{order.deadline:%Y年%-m月%-d日}前书面答复办理情况。",
    }
    letter = documents.update(letter, content, actor, now=now)
    return _document_step(lambda: documents.issue(letter, actor, now=now))


@transaction.atomic
def open_orders(
    cases: Iterable[Case],
    actor: Staff,
    *,
    reason: str,
    requirement: str,
    deadline: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Order]:
    """Open one order per handling organ on the chosen cases (a list of cases of several organs gives several
    orders), each with its 督办函 issued; perform `supervise` on every case."""
    now = _now(now)
    today = timezone.localdate(now)
    _require_supervisor(actor)
    chosen = list(cases)
    if not chosen:
        raise SupervisionRefused("请至少选择一件案件")
    if reason not in Reason.values:
        raise SupervisionRefused("请选择「督办事由」")
    if not requirement.strip():
        raise SupervisionRefused("请填写「督办要求」")
    if deadline is not None and deadline <= today:
        raise SupervisionRefused("「答复期限」须晚于今天")
    by_organ: dict[int, list[Case]] = defaultdict(list)
    for case in chosen:
        if not can_read(actor, case):
            raise SupervisionRefused(f"您无权督办案件{case.petition.number}")
        by_organ[case.acting_organ_id].append(case)
    orders = []
    for group in by_organ.values():
        handling = group[0].acting_organ
        _require_overseer(actor, handling)
        for case in group:
            _supervise_case(case, actor, requirement.strip(), now)
        order = Order.objects.create(
            organ=actor.organ,
            handling_organ=handling,
            reason=reason,
            requirement=requirement.strip(),
            deadline=deadline or reply_deadline(today, handling),
            opened_by=actor,
            opened_at=now,
        )
        order.cases.set(group)
        order.letter = _letter(order, group, actor, now)
        order.save(update_fields=["letter"])
        _event(
            "open_supervision_order",
            order,
            actor,
            now,
            ART_40_1,
            cases=[c.pk for c in group],
            reason=reason,
            deadline=order.deadline.isoformat(),
        )
        orders.append(order)
    return orders


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("organ", "handling_organ").get(pk=order.pk)


@transaction.atomic
def reply(order: Order, actor: Staff, text: str, *, now: dt.datetime | None = None) -> Reply:
    """The handling organ's written answer."""
    now = _now(now)
    order = _locked(order)
    if actor.organ_id != order.handling_organ_id or not actor.has_role(*ANSWERING):
        raise SupervisionRefused(f"只有{order.handling_organ.name}的承办人员可以答复本督办")
    if order.state not in WAITING:
        raise SupervisionRefused("本督办已答复或已办结，无需再答复")
    if not text.strip():
        raise SupervisionRefused("请填写「答复内容」")
    answer = Reply.objects.create(order=order, text=text.strip(), by=actor, at=now)
    order.state, order.overdue_since = OrderState.REPLIED, None
    order.save(update_fields=["state", "overdue_since"])
    _event("reply_supervision_order", order, actor, now, ART_40_1, reply=answer.pk)
    return answer


def _escalate(order: Order, actor: Staff, now: dt.datetime, state: str, deadline: dt.date | None) -> Order:
    today = timezone.localdate(now)
    if deadline is not None and deadline <= today:
        raise SupervisionRefused("「答复期限」须晚于今天")
    order.state = state
    order.deadline = deadline or reply_deadline(today, order.handling_organ)
    order.overdue_since = None
    return order


@transaction.atomic
def urge(
    order: Order, actor: Staff, note: str = "", *, deadline: dt.date | None = None, now: dt.datetime | None = None
) -> Order:
    """催办: an order left unanswered, or answered without result, is urged with a new answer date."""
    now = _now(now)
    order = _locked(order)
    _require_overseer(actor, order.handling_organ)
    if order.state not in (OrderState.OPEN, OrderState.URGED, OrderState.REPLIED):
        raise SupervisionRefused(f"“{order.get_state_display()}”的督办不能催办")
    _escalate(order, actor, now, OrderState.URGED, deadline)
    order.urged += 1
    order.save(update_fields=["state", "deadline", "overdue_since", "urged"])
    _event("urge_supervision_order", order, actor, now, ART_40_1, note=note.strip(), deadline=str(order.deadline))
    return order


@transaction.atomic
def list_order(
    order: Order, actor: Staff, note: str = "", *, deadline: dt.date | None = None, now: dt.datetime | None = None
) -> Order:
    """挂牌督办: the escalation after urging (Art. 39 ¶3 “约谈、通报、挂牌督办，责令限期整改”)."""
    now = _now(now)
    order = _locked(order)
    _require_overseer(actor, order.handling_organ)
    if order.state not in (OrderState.URGED, OrderState.REPLIED) or order.urged == 0:
        raise SupervisionRefused("挂牌督办须在催办之后")
    _escalate(order, actor, now, OrderState.LISTED, deadline)
    order.save(update_fields=["state", "deadline", "overdue_since"])
    _event("list_supervision_order", order, actor, now, ART_39_3, note=note.strip(), deadline=str(order.deadline))
    return order


@transaction.atomic
def close(order: Order, actor: Staff, note: str = "", *, now: dt.datetime | None = None) -> Order:
    """The bureau accepts the answer and closes the order."""
    now = _now(now)
    order = _locked(order)
    _require_overseer(actor, order.handling_organ)
    if order.state != OrderState.REPLIED:
        raise SupervisionRefused("只有已答复的督办可以办结")
    order.state, order.closed_at = OrderState.CLOSED, now
    order.save(update_fields=["state", "closed_at"])
    _event("close_supervision_order", order, actor, now, ART_40_1, note=note.strip())
    return order


@transaction.atomic
def scan(today: dt.date, *, now: dt.datetime | None = None) -> tuple[int, int, int]:
    """Flag orders unanswered past their answer date, recommendations whose feedback is late and higher-level
    assignments not reported back (once each deadline); returns how many of each were flagged."""
    now = _now(now)
    orders = Order.objects.select_for_update().filter(state__in=WAITING, deadline__lt=today, overdue_since__isnull=True)
    flagged_orders = 0
    for order in orders.select_related("organ", "handling_organ"):
        order.overdue_since = order.deadline + dt.timedelta(days=1)
        order.save(update_fields=["overdue_since"])
        record_event(
            action="supervision_order_overdue",
            at=now,
            organ=order.organ,
            basis="《信访工作条例》第四十五条第一项",
            payload={"order": order.pk, "handling_organ": order.handling_organ.name, "deadline": str(order.deadline)},
        )
        flagged_orders += 1
    recs = Recommendation.objects.select_for_update().filter(
        state=RecState.SERVED, feedback_due__lt=today, late_since__isnull=True
    )
    flagged_recs = 0
    for rec in recs.select_related("organ", "addressee"):
        assert rec.feedback_due is not None
        rec.late_since = rec.feedback_due + dt.timedelta(days=1)
        rec.save(update_fields=["late_since"])
        record_event(
            action="recommendation_feedback_late",
            at=now,
            organ=rec.organ,
            basis="《信访工作条例》第四十五条第三项",
            payload={"recommendation": rec.pk, "addressee": rec.addressee.name, "due": str(rec.feedback_due)},
        )
        flagged_recs += 1
    return flagged_orders, flagged_recs, scan_assignments(today, now)


# The three recommendations (Art. 40).


def _rec_event(action: str, rec: Recommendation, actor: Staff, now: dt.datetime, **payload: Any) -> None:
    """A recommendation's event: to pursue responsibility it names no case (confidential to the organs concerned)."""
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=rec.organ,
        basis=REC_BASIS[Kind(rec.kind)],
        payload={"recommendation": rec.pk, "kind": rec.kind, "addressee": rec.addressee.name, **payload},
    )


def may_address(bureau: Organ, addressee: Organ) -> bool:
    """A bureau addresses the organs it oversees, or its own government or party committee (Art. 40 ¶2)."""
    return bureau.oversees(addressee) or addressee.pk == bureau.superior_id


@transaction.atomic
def draft_recommendation(
    actor: Staff,
    *,
    kind: str,
    addressee: Organ,
    cases: Iterable[Case],
    problem: str,
    suggestion: str,
    now: dt.datetime | None = None,
) -> Recommendation:
    """Draft a recommendation from one case or a group (三查), with its 建议书 draft."""
    now = _now(now)
    _require_supervisor(actor)
    chosen = list(cases)
    if kind not in Kind.values:
        raise SupervisionRefused("请选择「建议类别」")
    if not may_address(actor.organ, addressee):
        raise SupervisionRefused(f"{addressee.name}不是{actor.organ.name}可以提出建议的机关（{ART_40_4}）")
    if not chosen:
        raise SupervisionRefused("请至少选择一件相关案件")
    if any(not can_read(actor, case) for case in chosen):
        raise SupervisionRefused("所选案件中有您无权查看的案件")
    if not problem.strip():
        raise SupervisionRefused("请填写「发现的问题」")
    if not suggestion.strip():
        raise SupervisionRefused("请填写「建议内容」")
    rec = Recommendation.objects.create(
        organ=actor.organ,
        addressee=addressee,
        kind=kind,
        problem=problem.strip(),
        suggestion=suggestion.strip(),
        drafted_by=actor,
        created_at=now,
    )
    rec.cases.set(chosen)
    letter = documents.draft(chosen[0], "recommendation_letter", actor, now=now)
    content = {
        "kind": rec.get_kind_display(),
        "receiving_organ": addressee.name,
        "problem": rec.problem,
        "suggestion": rec.suggestion,
        "reply_deadline": "请自收到本建议书之日起按期书面反馈采纳情况；未采纳的，请说明理由。",
    }
    rec.letter = documents.update(letter, content, actor, now=now)
    rec.save(update_fields=["letter"])
    _rec_event("draft_recommendation", rec, actor, now)
    return rec


def _locked_rec(rec: Recommendation) -> Recommendation:
    locked = Recommendation.objects.select_for_update(of=("self",))  # the letter is a nullable join
    return locked.select_related("organ", "addressee", "letter").get(pk=rec.pk)


@transaction.atomic
def issue_recommendation(rec: Recommendation, actor: Staff, *, now: dt.datetime | None = None) -> Recommendation:
    """Number and issue the 建议书."""
    now = _now(now)
    rec = _locked_rec(rec)
    _require_supervisor(actor)
    if actor.organ_id != rec.organ_id:
        raise SupervisionRefused(f"只有{rec.organ.name}可以印发本建议书")
    if rec.state != RecState.DRAFT or rec.letter is None:
        raise SupervisionRefused("只有草稿可以印发")
    letter = _document_step(lambda: documents.issue(rec.letter, actor, now=now))
    rec.state, rec.letter = RecState.ISSUED, letter
    rec.save(update_fields=["state"])
    _rec_event("issue_recommendation", rec, actor, now, number=letter.number)
    return rec


@transaction.atomic
def serve_recommendation(
    rec: Recommendation,
    actor: Staff,
    *,
    served_on: dt.date,
    method: str = "in_person",
    tracking_number: str = "",
    now: dt.datetime | None = None,
) -> Recommendation:
    """Record service on the addressee; the `recommendation_reply` period runs from the served date."""
    now = _now(now)
    rec = _locked_rec(rec)
    if rec.state != RecState.ISSUED or rec.letter is None:
        raise SupervisionRefused("只有已印发、尚未送达的建议书可以登记送达")
    _document_step(
        lambda: documents.serve(
            rec.letter,
            actor,
            method=method,
            served_on=served_on,
            tracking_number=tracking_number,
            now=now,
        )
    )
    rec.state, rec.served_on = RecState.SERVED, served_on
    rec.feedback_due = compute_deadline(
        "recommendation_reply", served_on, region=rec.addressee.region_code
    ).legal_last_day
    rec.save(update_fields=["state", "served_on", "feedback_due"])
    _rec_event("serve_recommendation", rec, actor, now, served_on=str(served_on), due=str(rec.feedback_due))
    return rec


@transaction.atomic
def record_feedback(
    rec: Recommendation, actor: Staff, *, adopted: bool, text: str, now: dt.datetime | None = None
) -> Recommendation:
    """The addressee's written feedback on adoption (Art. 40 ¶4), entered by the addressee or, from its letter,
    by the bureau's supervisor."""
    now = _now(now)
    rec = _locked_rec(rec)
    own = actor.organ_id == rec.addressee_id and actor.has_role(*ANSWERING)
    bureau = actor.organ_id == rec.organ_id and actor.has_role(Role.SUPERVISOR)
    if not (own or bureau):
        raise SupervisionRefused(f"只有{rec.addressee.name}或{rec.organ.name}督查员可以登记书面反馈")
    if rec.state != RecState.SERVED:
        raise SupervisionRefused("只有已送达、待反馈的建议可以登记反馈")
    if not text.strip():
        raise SupervisionRefused("请填写「书面反馈」")
    rec.state, rec.adopted, rec.feedback, rec.feedback_at = RecState.ANSWERED, adopted, text.strip(), now
    rec.save(update_fields=["state", "adopted", "feedback", "feedback_at"])
    _rec_event("record_recommendation_feedback", rec, actor, now, adopted=adopted)
    return rec
