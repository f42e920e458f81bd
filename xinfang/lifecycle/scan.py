"""The deadline scan: mark overdue clocks, queue reminders once, close lapsed petitioner windows.

Safe to run as often as wanted (cron, or the worker): each step only touches what is not yet done, in
chunks that each commit on their own, so a crash loses nothing and the next run continues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.deadlines.selectors import organ_rules, rulebook

from .context import SYSTEM, Refused
from .engine import perform
from .models import Case, Clock, ClockStatus, Reminder
from .tasks import deliver_reminders

CHUNK = 1000
WINDOW_BASIS = "《信访工作条例》第二十三条第三款"
CLOSING = {"review_request": "close_no_review", "re_review_request": "close_no_re_review"}


@dataclass
class ScanResult:
    overdue_marked: int = 0
    reminders_queued: int = 0
    windows_closed: int = 0
    windows_lapsed: int = 0


def _settle_past_deadline(
    query: QuerySet[Clock],
    now: dt.datetime,
    *,
    action: str,
    basis: Callable[[str], str],
    apply: Callable[[list[int], set[int]], object],
) -> int:
    """Apply ``apply`` to clocks past their legal last day, a chunk per transaction, with one event each."""
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                query.order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "case_id", "rule", "legal_last_day", "organ_id")[:CHUNK]
            )
            if not rows:
                return done
            apply([r[0] for r in rows], {r[1] for r in rows})
            for clock_id, case_id, rule, last_day, organ_id in rows:
                record_event(
                    action=action,
                    at=now,
                    actor_label="系统",
                    organ_id=organ_id,
                    case_id=case_id,
                    basis=basis(rule),
                    payload={"clock": clock_id, "rule": rule, "legal_last_day": last_day},
                )
            done += len(rows)


def overdue_basis(rule_id: str) -> str:
    """The article an organ breaches by missing ``rule_id`` (Art. 43 for a bureau's disposition, 44(3), 45(1)…)."""
    breach = rulebook().rule(rule_id).breach
    assert breach is not None, f"{rule_id}: the loader requires a breach citation for every duty"
    return breach.short()


def _mark_overdue(today: dt.date, now: dt.datetime, result: ScanResult) -> None:
    """Duties past their legal last day are overdue; each event cites the article the duty comes from."""

    def mark(clock_ids: list[int], case_ids: set[int]) -> None:
        Clock.objects.filter(pk__in=clock_ids).update(overdue=True)
        Case.objects.filter(pk__in=case_ids).update(overdue=True)

    query = Clock.objects.filter(
        status=ClockStatus.RUNNING, rule__in=organ_rules("duty"), overdue=False, legal_last_day__lt=today
    )
    result.overdue_marked += _settle_past_deadline(query, now, action="mark_overdue", basis=overdue_basis, apply=mark)


def _lapse_organ_windows(today: dt.date, now: dt.datetime, result: ScanResult) -> None:
    """An organ's window (the objection period) that passed unused lapses: a right lost, not a breach."""

    def lapse(clock_ids: list[int], case_ids: set[int]) -> None:
        Clock.objects.filter(pk__in=clock_ids).update(status=ClockStatus.LAPSED, stopped_on=today)

    query = Clock.objects.filter(status=ClockStatus.RUNNING, rule__in=organ_rules("window"), legal_last_day__lt=today)
    settled = _settle_past_deadline(query, now, action="window_lapsed", basis=lambda rule: WINDOW_BASIS, apply=lapse)
    result.windows_lapsed += settled


def _queue_reminders(today: dt.date, now: dt.datetime, result: ScanResult) -> None:
    """Queue each reminder once, with its event in the chain (action ``remind``)."""
    for days_before in sorted(set(settings.XINFANG_REMINDER_DAYS), reverse=True):
        query = (
            Clock.objects.filter(
                status=ClockStatus.RUNNING,
                party="organ",
                due__gte=today,
                due__lte=today + dt.timedelta(days=days_before),
            )
            .exclude(reminders__days_before=days_before)
            .order_by("pk")
        )
        while True:
            with transaction.atomic():
                clocks = {
                    row[0]: row
                    for row in query.values_list(
                        "pk", "due", "case_id", "case__petition_id", "organ_id", "rule", "basis"
                    )[:CHUNK]
                }
                if not clocks:
                    break
                Reminder.objects.bulk_create(
                    [
                        Reminder(
                            clock_id=pk,
                            days_before=days_before,
                            remind_on=row[1] - dt.timedelta(days=days_before),
                            queued_at=now,
                        )
                        for pk, row in clocks.items()
                    ],
                    ignore_conflicts=True,
                )
                queued = list(
                    Reminder.objects.filter(clock_id__in=clocks, days_before=days_before, queued_at=now)
                    .order_by("pk")
                    .values_list("pk", "clock_id")
                )
                for _, clock_id in queued:
                    _, due, case_id, petition_id, organ_id, rule, basis = clocks[clock_id]
                    record_event(
                        action="remind",
                        at=now,
                        actor_label="系统",
                        organ_id=organ_id,
                        case_id=case_id,
                        petition_id=petition_id,
                        basis=basis,
                        payload={"rule": rule, "clock": clock_id, "days_before": days_before, "due": due},
                    )
                ids = [pk for pk, _ in queued]
                # The database backend writes the task in this same transaction: reminders, their events and
                # their delivery task commit together or not at all.
                deliver_reminders.enqueue(ids)
                result.reminders_queued += len(ids)


def _close_lapsed_windows(today: dt.date, now: dt.datetime, result: ScanResult) -> None:
    grace = dt.timedelta(days=settings.XINFANG_WINDOW_GRACE_DAYS)
    lapsed = Clock.objects.filter(
        status=ClockStatus.RUNNING, party="petitioner", rule__in=CLOSING, legal_last_day__lt=today - grace
    ).values_list("case_id", "rule")
    for case_id, rule in list(lapsed):
        try:
            perform(case_id, CLOSING[rule], SYSTEM, now=now)
        except Refused:
            continue  # the case moved on (a request arrived) since the query
        result.windows_closed += 1


def scan_deadlines(now: dt.datetime | None = None) -> ScanResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = ScanResult()
    _mark_overdue(today, now, result)
    _lapse_organ_windows(today, now, result)
    _queue_reminders(today, now, result)
    _close_lapsed_windows(today, now, result)
    return result
