"""The one place that changes a case's state: `perform`, and `start_case` for a new organ's case.

Both check the transition table, the actor and the guards, then write the state, the event and the
clock changes in one transaction. Anything else is refused with a message that cites the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.intake.digest import petition_digest
from xinfang.intake.models import Petition
from xinfang.org.models import Organ, Staff

from . import clocks
from .context import FIELD_LABELS, ORGAN_FIELDS, SYSTEM, Actor, Conflict, Context, Refused, is_missing
from .models import Case, ClockStatus
from .permissions import refusal_for_actor
from .states import State, Via
from .table import BY_NAME, RESUME, SAME, Transition


def _open_target_case(ctx: Context) -> None:
    """A row with ``opens_case``: the target organ's own case, received by transfer or assignment."""
    via = Via.ASSIGNMENT if ctx.notes["transition"] == "assign" else Via.TRANSFER
    child = start_case(ctx.case.petition, ctx.organ(), via=via, parent=ctx.case, actor=SYSTEM, now=ctx.now)
    ctx.notes["opened_case"] = child.pk


# --- the engine --------------------------------------------------------------------------------


def _payload_for_event(ctx: Context) -> dict[str, Any]:
    """The payload as recorded: organs by id and name, so the timeline reads without lookups."""
    result: dict[str, Any] = {}
    for key, value in ctx.payload.items():
        if key in ORGAN_FIELDS and not is_missing(key, value):
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
        if is_missing(key, ctx.payload.get(key)):
            raise Refused(f"请填写「{FIELD_LABELS.get(key, key)}」", field=key)
    for guard in transition.guards:
        reason = guard(ctx)
        if reason:
            raise Refused(reason)

    if transition.target == RESUME:
        case.state = case.resume_state or State.INVESTIGATING
        case.resume_state = ""
    elif transition.target != SAME:
        case.state = transition.target
    for effect in transition.effects:
        effect(ctx)
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
        if start.when and not start.when(ctx):
            continue
        days = int(ctx.payload[start.days_from]) if start.days_from else None
        clocks.start_clock(case, start.rule, start.trigger(ctx), start.bound(ctx), event, days=days)
    _refresh_overdue(case)
    if transition.opens_case:
        _open_target_case(ctx)
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
