"""The one place that changes a case's state: `perform`, and `start_case` for a new organ's case.

Both check the transition table, the actor and the guards, then write the state, the event and the
clock changes in one transaction. Anything else is refused with a message that cites the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.intake.digest import petition_digest
from xinfang.intake.models import Category, Petition
from xinfang.org.models import Organ, Staff

from . import clocks
from .context import FIELD_LABELS, SYSTEM, Actor, Conflict, Context, Refused
from .guards import GUARDS
from .models import Case, ClockStatus
from .notices import own_notice_rules
from .permissions import assignee_organ, refusal_for_actor
from .states import State, Via
from .table import BY_NAME, RESUME, SAME, Start, Transition

# --- when a clock starts, and from which day -------------------------------------------------

CONDITIONS: dict[str, Callable[[Context], bool]] = {
    "at_petition_bureau": lambda ctx: ctx.case.organ.is_petition_bureau,
    # Art. 23(4): 政法 litigation-rights matters and 纪检监察 accusations follow their own notice rules.
    "owes_receipt_notice": lambda ctx: (
        not ctx.case.organ.is_petition_bureau and not ctx.case.petition.notice_exempt and not own_notice_rules(ctx.case)
    ),
    "received_by_transfer": lambda ctx: (
        ctx.case.via != Via.DIRECT
        and ctx.case.parent_id is not None
        and not ctx.case.organ.is_petition_bureau
        and not own_notice_rules(ctx.case)
    ),
    # Art. 34 binds the matters of Art. 31(6), all 申诉求决类 when accepted: it is cancelled if the matter
    # turns out to belong to Art. 31(1)-(5) (divert, perform_duty).
    "is_grievance": lambda ctx: ctx.case.category == Category.GRIEVANCE,
    "no_handling_clock": lambda ctx: not ctx.case.clocks.filter(rule="handling").exists(),
}


def _handling_due(ctx: Context) -> dt.date:
    clock = ctx.case.clocks.filter(rule__in=("handling", "handling_extension")).order_by("-pk").first()
    if clock is None:
        raise Refused("没有办理期限，无法计算延长期限")
    return clock.due


TRIGGERS: dict[str, Callable[[Context], dt.date]] = {
    "received": lambda ctx: timezone.localdate(ctx.case.received_at),
    "accepted": lambda ctx: timezone.localdate(ctx.case.accepted_at),
    "today": lambda ctx: ctx.today,
    "served_on": lambda ctx: ctx.date("served_on"),
    "received_on": lambda ctx: ctx.date("received_on"),
    "handling_due": _handling_due,
}


def _bound_organ(ctx: Context, start: Start) -> Organ:
    if start.bound == "target":
        return ctx.organ() if ctx.payload.get("target_organ") else assignee_organ(ctx.case) or ctx.case.organ
    if start.bound == "review":
        return ctx.case.review_organ
    if start.bound == "re_review":
        return ctx.case.re_review_organ
    return ctx.case.organ


# --- effects: field changes before the event, and follow-ups after it ----------------------------


def _set_category(ctx: Context) -> None:
    case = ctx.case
    case.category = ctx.payload["category"]
    if case.category == Category.ACCUSATION:
        case.confidential_accusation = True
    if not case.matter.category:
        case.matter.category = case.category
        case.matter.save(update_fields=["category"])
    accused = ctx.payload.get("accused_organ")
    if accused:
        case.petition.accused_organ = ctx.organ("accused_organ")
        case.petition.save(update_fields=["accused_organ"])
        ctx.petition_changed = True


def _flag(name: str) -> Callable[[Context], None]:
    def effect(ctx: Context) -> None:
        setattr(ctx.case, name, True)

    return effect


BEFORE: dict[str, Callable[[Context], None]] = {
    "set_category": _set_category,
    "stamp_accepted": lambda ctx: setattr(ctx.case, "accepted_at", ctx.now),
    "flag_major_urgent": _flag("major_urgent"),
    "flag_supervised": _flag("supervised"),
    "flag_leader_case": _flag("leader_case"),
    "flag_execution_monitoring": lambda ctx: setattr(ctx.case, "execution_monitoring", ctx.case.outcome == "upheld"),
    "remember_state": lambda ctx: setattr(ctx.case, "resume_state", ctx.from_state),
    "record_diversion": lambda ctx: setattr(ctx.case, "divert_target", ctx.payload["target_procedure"]),
    "record_outcome": lambda ctx: setattr(ctx.case, "outcome", ctx.payload["outcome"]),
    "mark_extension": _flag("extension_used"),
    "store_report": lambda ctx: setattr(ctx.case, "completion_report", str(ctx.payload["report"])),
    "clear_report": lambda ctx: setattr(ctx.case, "completion_report", ""),
}


def _move_to_review(ctx: Context) -> None:
    """Art. 35: the superior of the handling organ inside its own system."""
    ctx.case.review_organ = ctx.case.organ.review_superior()
    ctx.case.acting_organ = ctx.case.review_organ


def _move_to_re_review(ctx: Context) -> None:
    """Art. 36(1): the superior of the review organ inside its own system."""
    ctx.case.re_review_organ = ctx.case.review_organ.review_superior()
    ctx.case.acting_organ = ctx.case.re_review_organ


def _finalise_matter(ctx: Context) -> None:
    ctx.case.matter.final_at = ctx.now
    ctx.case.matter.save(update_fields=["final_at"])


BEFORE.update({"move_to_review": _move_to_review, "move_to_re_review": _move_to_re_review})
BEFORE["finalise_matter"] = _finalise_matter


def _open_target_case(ctx: Context, event: Any) -> None:
    via = Via.ASSIGNMENT if ctx.notes["transition"] == "assign" else Via.TRANSFER
    child = start_case(ctx.case.petition, ctx.organ(), via=via, parent=ctx.case, actor=SYSTEM, now=ctx.now)
    ctx.notes["opened_case"] = child.pk


AFTER: dict[str, Callable[[Context, Any], None]] = {"open_target_case": _open_target_case}


# --- the engine --------------------------------------------------------------------------------


ORGAN_FIELDS = ("target_organ", "accused_organ")


def _payload_for_event(ctx: Context) -> dict[str, Any]:
    """The payload as recorded: organs by id and name, so the timeline reads without lookups."""
    result: dict[str, Any] = {}
    for key, value in ctx.payload.items():
        if key in ORGAN_FIELDS and value not in (None, ""):
            value = ctx.organ(key)
        result[key] = {"id": value.pk, "name": value.name} if isinstance(value, Organ) else value
    return result


def _apply(
    case: Case,
    transition: Transition,
    actor: Actor,
    payload: dict[str, Any],
    now: dt.datetime,
    *,
    check_actor: bool = True,
) -> Context:
    ctx = Context(case=case, actor=actor, payload=dict(payload), now=now, from_state=case.state)
    ctx.notes["transition"] = transition.name
    ctx.notes["notice"] = transition.notice
    if case.state not in transition.sources:
        raise Refused(
            f"案件当前状态为“{State(case.state).label}”，不能执行“{transition.label}”"
            f"（依据{transition.basis}，该操作只适用于："
            + "、".join(State(s).label for s in sorted(transition.sources))
            + "）"
        )
    reason = refusal_for_actor(actor, case, transition) if check_actor else None
    if reason:
        raise Refused(reason)
    for key in transition.requires:
        value = ctx.payload.get(key)
        if value is None or value == "" or (value is False and key not in ("consent", "same_facts_confirmed")):
            raise Refused(f"请填写「{FIELD_LABELS.get(key, key)}」", field=key)
    for name in transition.guards:
        reason = GUARDS[name](ctx)
        if reason:
            raise Refused(reason)

    if transition.target == RESUME:
        case.state = case.resume_state or State.INVESTIGATING
        case.resume_state = ""
    elif transition.target != SAME:
        case.state = transition.target
    for name in transition.effects:
        if name in BEFORE:
            BEFORE[name](ctx)
    case.updated_at = now

    saved = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1)
    if saved != 1:
        raise Conflict("该案件刚刚已被他人办理，请刷新后再操作")
    case.version += 1
    case.save()

    event = record_event(
        action=transition.name,
        at=now,
        actor=getattr(actor, "user", None),
        actor_label=str(actor),
        organ=getattr(actor, "organ", None) or case.organ,
        case_id=case.pk,
        petition_id=case.petition_id,
        from_state=ctx.from_state,
        to_state=case.state,
        basis=transition.basis_for(case.organ.region_code),
        payload=_payload_for_event(ctx),
        petition_digest=petition_digest(case.petition) if ctx.petition_changed else "",
    )
    today = ctx.today
    for stop in transition.stops:
        clocks.stop_clocks(case, stop.rule, stop.status, event, today)
    if transition.pause:
        clocks.pause_clock(case, transition.pause, ctx.date("on") if ctx.payload.get("on") else today, today)
    if transition.resume:
        clocks.resume_clock(case, transition.resume, ctx.date("on") if ctx.payload.get("on") else today, today)
    for start in transition.starts:
        if start.when and not CONDITIONS[start.when](ctx):
            continue
        days = int(ctx.payload[start.days_from]) if start.days_from else None
        clocks.start_clock(case, start.rule, TRIGGERS[start.trigger](ctx), _bound_organ(ctx, start), event, days=days)
    _refresh_overdue(case)
    for name in transition.effects:
        if name in AFTER:
            AFTER[name](ctx, event)
    if transition.then_parent and case.parent_id:
        parent = _lock(case.parent_id)
        _apply(parent, BY_NAME[transition.then_parent], actor, {}, now)
    return ctx


def _refresh_overdue(case: Case) -> None:
    overdue = case.clocks.filter(status__in=clocks.OPEN, overdue=True).exists()
    if overdue != case.overdue:
        case.overdue = overdue
        Case.objects.filter(pk=case.pk).update(overdue=overdue)


def _lock(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("organ", "petition", "matter", "parent__organ", "review_organ", "re_review_organ")
        .get(pk=case_id)
    )


def perform(
    case: Case | int,
    name: str,
    actor: Actor,
    payload: dict[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Perform transition ``name`` on ``case`` as ``actor``; refuse with a cited reason otherwise.

    ``expected_version`` is the version the actor saw; if the case changed since, the call fails with
    `Conflict` so that two people acting at once cannot both succeed.
    """
    transition = BY_NAME.get(name)
    if transition is None or not transition.sources:
        raise Refused(f"未知的操作：{name}")
    now = now or timezone.now()
    case_id = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = _lock(case_id)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(f"该案件刚刚已被他人办理（当前状态：{State(locked.state).label}），请刷新后再操作")
        _apply(locked, transition, actor, payload or {}, now)
    return locked


def start_case(
    petition: Petition,
    organ: Organ,
    *,
    via: str = Via.DIRECT,
    parent: Case | None = None,
    actor: Actor = SYSTEM,
    now: dt.datetime | None = None,
) -> Case:
    """Open an organ's case: T1 (received) then T2 (registered), with their clocks, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            petition=petition,
            matter=petition.matter,
            organ=organ,
            acting_organ=organ,
            parent=parent,
            via=via,
            state=State.RECEIVED,
            category=parent.category if parent else "",
            confidential_accusation=parent.confidential_accusation if parent else False,
            received_at=petition.received_at if parent is None else now,
            updated_at=now,
        )
        receive = BY_NAME["receive"]
        record_event(
            action=receive.name,
            at=now,
            actor=getattr(actor, "user", None),
            actor_label=str(actor),
            organ=organ,
            case_id=case.pk,
            petition_id=petition.pk,
            to_state=State.RECEIVED,
            basis=receive.basis,
            payload={"via": via, "from_case": parent.pk if parent else None},
            petition_digest=petition_digest(petition),
        )
        # The receiving side of a transfer, and online submissions, are registered by the platform.
        _apply(case, BY_NAME["register"], actor, {}, now, check_actor=isinstance(actor, Staff))
    return case


def clock_statuses() -> list[str]:
    return [s.value for s in ClockStatus]
