"""Writes of the analytics app: recompute the facts and rollups of a day range, or the increment since last time.

Both are idempotent: the facts of a day are deleted and derived again from the events and clocks, then the
day's rollups are summed from its facts, in one transaction per chunk of days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case, Clock

from .facts import days_of_cases, rows_for
from .models import Fact, MonthRollup, OrganDayRollup, OrganMonthRollup, Rollup, RollupState

DIMENSIONS = ("day", "key", "organ_id", "category", "region_code", "channel")
MONTH_DIMENSIONS = DIMENSIONS[1:]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Recomputed:
    days: int
    facts: int
    rollups: int


def _quiet(done: int, total: int, note: str) -> None:
    return None


def _chunks(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar months (cut to ``start``..``end``): each chunk's month rollup is summed once, when it is done."""
    spans, first = [], start
    while first <= end:
        last = min(end, month_bounds(first)[1])
        spans.append((first, last))
        first = last + dt.timedelta(days=1)
    return spans


@transaction.atomic
def _recompute_span(start: dt.date, end: dt.date, today: dt.date) -> tuple[int, int]:
    Fact.objects.filter(day__range=(start, end)).delete()
    Rollup.objects.filter(day__range=(start, end)).delete()
    facts = [
        Fact(
            day=r.day,
            key=r.key,
            case_id=r.case_id,
            organ_id=r.organ_id,
            category=r.category,
            region_code=r.region_code,
            channel=r.channel,
            value=r.value,
        )
        for r in rows_for(start, end, today)
        if start <= r.day <= end
    ]
    Fact.objects.bulk_create(facts, batch_size=2000)
    sums = Fact.objects.filter(day__range=(start, end)).values(*DIMENSIONS).annotate(n=Count("id"), t=Sum("value"))
    rollups = [Rollup(count=s.pop("n"), total=s.pop("t") or 0, **s) for s in sums]
    Rollup.objects.bulk_create(rollups, batch_size=2000)
    OrganDayRollup.objects.filter(day__range=(start, end)).delete()
    by_organ = Rollup.objects.filter(day__range=(start, end)).values("day", "key", "organ_id")
    OrganDayRollup.objects.bulk_create(
        [
            OrganDayRollup(count=s.pop("n"), total=s.pop("t") or 0, **s)
            for s in by_organ.annotate(n=Sum("count"), t=Sum("total"))
        ],
        batch_size=2000,
    )
    _roll_up_months(start, end)
    return len(facts), len(rollups)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return first, after - dt.timedelta(days=1)


def _roll_up_months(start: dt.date, end: dt.date) -> int:
    """Sum again the months that ``start``..``end`` touches from their daily rollups (inside the caller's
    transaction)."""
    made = 0
    month = start.replace(day=1)
    while month <= end:
        first, last = month_bounds(month)
        MonthRollup.objects.filter(month=first).delete()
        sums = (
            Rollup.objects.filter(day__range=(first, last))
            .values(*MONTH_DIMENSIONS)
            .annotate(n=Sum("count"), t=Sum("total"))
        )
        rows = [MonthRollup(month=first, count=s.pop("n"), total=s.pop("t") or 0, **s) for s in sums]
        MonthRollup.objects.bulk_create(rows, batch_size=2000)
        OrganMonthRollup.objects.filter(month=first).delete()
        by_organ = MonthRollup.objects.filter(month=first).values("key", "organ_id")
        OrganMonthRollup.objects.bulk_create(
            [
                OrganMonthRollup(month=first, count=s.pop("n"), total=s.pop("t") or 0, **s)
                for s in by_organ.annotate(n=Sum("count"), t=Sum("total"))
            ],
            batch_size=2000,
        )
        made += len(rows)
        month = last + dt.timedelta(days=1)
    return made


def recompute(start: dt.date, end: dt.date, *, today: dt.date | None = None, progress: Progress = _quiet) -> Recomputed:
    """Derive the facts and rollups of ``start``..``end`` again from the events and clocks, as of ``today``."""
    today = today or timezone.localdate()
    spans = _chunks(start, end)
    facts = rollups = 0
    for done, (first, last) in enumerate(spans, 1):
        f, r = _recompute_span(first, last, today)
        facts, rollups = facts + f, rollups + r
        progress(done, len(spans), f"{first:%Y-%m-%d}至{last:%Y-%m-%d}：明细{f}条，汇总{r}条")
    return Recomputed((end - start).days + 1, facts, rollups)


def recompute_days(days: Iterable[dt.date], *, today: dt.date, progress: Progress = _quiet) -> Recomputed:
    """Recompute a set of days, each run of consecutive days as one range."""
    ordered = sorted(set(days))
    runs: list[list[dt.date]] = []
    for day in ordered:
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    total = Recomputed(0, 0, 0)
    for i, run in enumerate(runs, 1):
        part = recompute(run[0], run[-1], today=today)
        total = Recomputed(total.days + part.days, total.facts + part.facts, total.rollups + part.rollups)
        progress(i, len(runs), f"{run[0]:%Y-%m-%d}至{run[-1]:%Y-%m-%d}")
    return total


def _state() -> RollupState:
    state = RollupState.objects.select_for_update().first()
    return state or RollupState.objects.create()


def _save_state(last_seq: int, today: dt.date, note: str) -> None:
    with transaction.atomic():
        state = _state()
        state.last_seq, state.as_of, state.updated_at, state.progress = last_seq, today, timezone.now(), note
        state.save()


def rebuild(*, today: dt.date | None = None, progress: Progress = _quiet) -> Recomputed:
    """Everything from the first event to ``today``: what the nightly increment must agree with."""
    today = today or timezone.localdate()
    last_seq = Event.objects.aggregate(m=Max("seq"))["m"] or 0
    first_event = Event.objects.order_by("seq").values_list("at", flat=True).first()
    first_case = Case.objects.aggregate(m=Min("received_at"))["m"]
    starts = [timezone.localdate(m) for m in (first_event, first_case) if m is not None]
    clocks = Clock.objects.aggregate(first=Min("legal_last_day"), last=Max("legal_last_day"))
    start = min([*starts, *([clocks["first"]] if clocks["first"] else [])], default=today)
    # Clocks fall due after the last event: run to the furthest legal last day, or today.
    horizon = Fact.objects.aggregate(m=Max("day"))["m"]
    end = max(d for d in (today, clocks["last"], horizon) if d is not None)
    with transaction.atomic():
        Fact.objects.filter(day__lt=start).delete()
        Rollup.objects.filter(day__lt=start).delete()
        MonthRollup.objects.filter(month__lt=start.replace(day=1)).delete()
        OrganMonthRollup.objects.filter(month__lt=start.replace(day=1)).delete()
        OrganDayRollup.objects.filter(day__lt=start).delete()
    result = recompute(start, end, today=today, progress=progress)
    _analyze()
    _save_state(last_seq, today, f"全部重算：{start:%Y-%m-%d}至{end:%Y-%m-%d}，明细{result.facts}条")
    return result


def _analyze() -> None:
    """After a full rewrite, PostgreSQL's planner statistics are stale until autovacuum catches up: refresh
    them now so that the first reads plan with the real sizes."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE analytics_fact, analytics_rollup, analytics_monthrollup, analytics_organdayrollup, "
                "analytics_organmonthrollup"
            )


def increment(*, today: dt.date | None = None, progress: Progress = _quiet) -> Recomputed:
    """Fold in the events since the last run, and the days whose periods ``today`` may have settled."""
    today = today or timezone.localdate()
    state = RollupState.objects.first()
    if state is None or state.as_of is None:
        return rebuild(today=today, progress=progress)
    new = Event.objects.filter(seq__gt=state.last_seq)
    last_seq = new.aggregate(m=Max("seq"))["m"] or state.last_seq
    touched = {c for c in new.exclude(case_id=None).values_list("case_id", flat=True).distinct() if c is not None}
    days = days_of_cases(touched)
    # A running period becomes late the day after its legal last day: redo the days since the last run.
    span = state.as_of - dt.timedelta(days=1)
    while span <= today:
        days.add(span)
        span += dt.timedelta(days=1)
    result = recompute_days(days, today=today, progress=progress)
    _save_state(last_seq, today, f"增量汇总：{len(touched)}件案件，{result.days}天")
    return result
