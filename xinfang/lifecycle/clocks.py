"""Materialising, stopping, pausing and resuming the per-case clocks (called only by the engine), and
recomputing the open ones when the holiday calendar changes (a hook registered with ``deadlines``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.deadlines.selectors import deadline, rulebook
from xinfang.deadlines.services import CalendarChange, on_calendar_change
from xinfang.org.models import Organ
from xinfang.rules import Deadline, Pause, RulesError, ValueKind

from .context import Refused
from .models import Case, Clock, ClockStatus

OPEN = (ClockStatus.RUNNING, ClockStatus.PAUSED)


def start_clock(case: Case, rule: str, start: dt.date, organ: Organ, event: Any, *, days: int | None = None) -> Clock:
    try:
        result = deadline(rule, start, region=organ.region_code, days=days)
    except RulesError as exc:
        raise Refused(str(exc)) from None
    return Clock.objects.create(
        case=case,
        organ=organ,
        rule=rule,
        party=result.rule.party.value,
        start=start,
        days=result.days,
        due=result.due,
        legal_last_day=result.legal_last_day,
        provisional=result.provisional,
        basis=result.basis(),
        started_event=event,
    )


def stop_clocks(case: Case, rule: str, status: str, event: Any, on: dt.date) -> list[Clock]:
    clocks = list(case.clocks.filter(rule=rule, status__in=OPEN))
    for clock in clocks:
        clock.status = status
        clock.stopped_event = event
        clock.stopped_on = on
        clock.save(update_fields=["status", "stopped_event", "stopped_on"])
    return clocks


def pause_clock(case: Case, rule: str, on: dt.date, today: dt.date) -> Clock:
    clock = case.clocks.filter(rule=rule, status=ClockStatus.RUNNING).first()
    if clock is None:
        raise Refused(f"没有正在计算的{rule}期限，无法中止计时")
    if on > today or on < clock.start:
        raise Refused(f"听证开始日期 {on.isoformat()} 应在收到请求之日与今天之间")
    clock.status = ClockStatus.PAUSED
    clock.paused_since = on
    clock.save(update_fields=["status", "paused_since"])
    return clock


def resume_clock(case: Case, rule: str, on: dt.date, today: dt.date) -> Clock:
    """End a pause: the paused days, both ends inclusive, no longer count (Art. 36(2)).

    Only days the period counts can be excluded: a hearing on the day the request arrived (the trigger
    day, never counted) excludes nothing.
    """
    clock = case.clocks.filter(rule=rule, status=ClockStatus.PAUSED).first()
    if clock is None or clock.paused_since is None:
        raise Refused(f"{rule}期限没有中止，无需恢复计时")
    if on > today or on < clock.paused_since:
        raise Refused(f"听证结束日期 {on.isoformat()} 应在听证开始之日与今天之间")
    begin = max(clock.paused_since, clock.start + dt.timedelta(days=1))
    pauses = list(clock.pauses)
    if on >= begin:
        pauses.append([begin.isoformat(), on.isoformat()])
    try:
        result = deadline(
            rule,
            clock.start,
            region=clock.organ.region_code,
            pauses=[Pause(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in pauses],
        )
    except RulesError as exc:
        raise Refused(str(exc)) from None
    clock.pauses = pauses
    clock.paused_since = None
    clock.status = ClockStatus.RUNNING
    clock.due, clock.legal_last_day = result.due, result.legal_last_day
    clock.provisional, clock.basis = result.provisional, result.basis()
    clock.save(update_fields=["pauses", "paused_since", "status", "due", "legal_last_day", "provisional", "basis"])
    return clock


def _recount(clock: Clock) -> Deadline:
    """The clock's period counted again on the current calendar: same rule, start, days and pauses."""
    fixed = rulebook().rule(clock.rule).kind is ValueKind.FIXED
    return deadline(
        clock.rule,
        clock.start,
        region=clock.organ.region_code,
        days=None if fixed else clock.days,
        pauses=[Pause(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in clock.pauses],
    )


@on_calendar_change
def recompute_for_calendar(change: CalendarChange) -> int:
    """Recount every open clock whose period covers a changed day; record each one that moved as an event.

    Runs in the calendar write's transaction. A clock that was overdue and whose new last day has not yet
    passed is no longer overdue (the scan marks it again if it passes).
    """
    span = change.span
    if span is None:
        return 0
    first, last = span
    today = timezone.localdate(change.at)
    moved = 0
    query = (
        Clock.objects.filter(status__in=OPEN, start__lte=last, legal_last_day__gte=first)
        .select_related("organ", "case")
        .order_by("pk")
    )
    for clock in query.iterator(chunk_size=1000):
        try:
            result = _recount(clock)
        except RulesError:
            continue  # a period the rules no longer compute keeps its dates; its start event says why
        old = (clock.due, clock.legal_last_day, clock.provisional)
        if old == (result.due, result.legal_last_day, result.provisional):
            continue
        clock.due, clock.legal_last_day, clock.provisional = result.due, result.legal_last_day, result.provisional
        clock.basis = result.basis()
        cleared = clock.overdue and clock.legal_last_day >= today
        clock.overdue = clock.overdue and not cleared
        clock.save(update_fields=["due", "legal_last_day", "provisional", "basis", "overdue"])
        if cleared and not clock.case.clocks.filter(status__in=OPEN, overdue=True).exists():
            Case.objects.filter(pk=clock.case_id).update(overdue=False)
        record_event(
            action="recompute_clock",
            at=change.at,
            actor_label=change.actor_label,
            organ=clock.organ,
            case_id=clock.case_id,
            petition_id=clock.case.petition_id,
            basis=clock.basis,
            payload={
                "rule": clock.rule,
                "clock": clock.pk,
                "calendar_year": change.year,
                "calendar_event": change.event.seq,
                "old_due": old[0],
                "new_due": clock.due,
                "old_legal_last_day": old[1],
                "new_legal_last_day": clock.legal_last_day,
                "old_provisional": old[2],
                "new_provisional": clock.provisional,
                "overdue_cleared": cleared,
            },
        )
        moved += 1
    return moved
