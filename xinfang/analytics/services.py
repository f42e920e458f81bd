"""Writes of the analytics app: recompute the facts and rollups of a day range, or the increment since last time.

Both are idempotent: the facts of a day are deleted and derived again from the events and clocks, then the
day's rollups are summed from its facts, in one transaction per chunk of days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case, Clock

from .facts import Cases, Row, rows_for
from .models import Fact, MonthRollup, OrganDayRollup, OrganMonthRollup, Rollup, RollupState

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


FACT_COLUMNS = Row._fields  # a derived Row is written as it is: its fields are the fact's columns, in order
GROUPS = ("key", "organ_id", "category", "region_code", "channel")


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _write_facts(derived: Iterable[Row]) -> int:
    """Insert facts in the caller's transaction: COPY on PostgreSQL. The rows are derived first: the derivation
    queries the same connection, which a COPY in progress holds."""
    rows = list(derived)
    columns = ", ".join(FACT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor behind Django's wrapper, in the same transaction
            with raw.copy(f"COPY {_table(Fact)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {_table(Fact)} ({columns}) VALUES ({', '.join(['%s'] * len(FACT_COLUMNS))})"
            for at in range(0, len(rows), 5000):
                cursor.executemany(sql, [(_day(r.day), *r[1:]) for r in rows[at : at + 5000]])
    return len(rows)


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _sum_into(target: type, source: type, column: str, groups: tuple[str, ...], where: str, params: list) -> int:
    """``INSERT INTO target SELECT column, groups, sums FROM source WHERE … GROUP BY column, groups``: one
    statement. ``column`` is the source's day column (a daily tier), or ``None`` for the month in ``params[0]``."""
    keys = ", ".join(groups)
    count, total = ("COUNT(*)", "COALESCE(SUM(value), 0)") if source is Fact else ("SUM(count)", "SUM(total)")
    period, grouped = (column, f"{column}, ") if column else ("%s", "")
    target_column = "month" if target in (MonthRollup, OrganMonthRollup) else "day"
    sql = (
        f"INSERT INTO {_table(target)} ({target_column}, {keys}, count, total) "
        f"SELECT {period}, {keys}, {count}, {total} FROM {_table(source)} WHERE {where} GROUP BY {grouped}{keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_day(p) if isinstance(p, dt.date) else p for p in params])
        return int(cursor.rowcount)


@transaction.atomic
def _recompute_span(start: dt.date, end: dt.date, today: dt.date, *, months: bool = True) -> tuple[int, int]:
    Fact.objects.filter(day__range=(start, end)).delete()
    Rollup.objects.filter(day__range=(start, end)).delete()
    OrganDayRollup.objects.filter(day__range=(start, end)).delete()
    facts = _write_facts(r for r in rows_for(start, end, today) if start <= r.day <= end)
    span = "day BETWEEN %s AND %s"
    rollups = _sum_into(Rollup, Fact, "day", GROUPS, span, [start, end])
    _sum_into(OrganDayRollup, Rollup, "day", ("key", "organ_id"), span, [start, end])
    if months:
        _roll_up_months(start, end)
    return facts, rollups


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
        OrganMonthRollup.objects.filter(month=first).delete()
        made += _sum_into(MonthRollup, Rollup, "", GROUPS, "day BETWEEN %s AND %s", [first, first, last])
        _sum_into(OrganMonthRollup, MonthRollup, "month", ("key", "organ_id"), "month = %s", [first])
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
    """Recompute a set of days, each run of consecutive days as one range; each month touched is summed again
    once, at the end (an increment touches scattered days of many months: summing a month per run of days
    cost a whole month's rollups each time)."""
    ordered = sorted(set(days))
    runs: list[list[dt.date]] = []
    for day in ordered:
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    facts = rollups = 0
    for i, run in enumerate(runs, 1):
        f, r = _recompute_span(run[0], run[-1], today, months=False)
        facts, rollups = facts + f, rollups + r
        progress(i, len(runs), f"{run[0]:%Y-%m-%d}至{run[-1]:%Y-%m-%d}")
    with transaction.atomic():
        for month in sorted({d.replace(day=1) for d in ordered}):
            _roll_up_months(month, month)
    return Recomputed(len(ordered), facts, rollups)


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


def _replace_facts_of(case_ids: set[int], today: dt.date) -> tuple[int, set[tuple[dt.date, int]]]:
    """Delete every fact of these cases and derive them again, whatever their days (in the caller's
    transaction). Returns the facts written and the (day, organ) pairs whose rollups changed."""
    ids = sorted(case_ids)
    written, pairs = 0, set()
    for at in range(0, len(ids), 2000):
        chunk = ids[at : at + 2000]
        old = Fact.objects.filter(case_id__in=chunk)
        pairs |= set(old.values_list("day", "organ_id"))
        old.delete()
        rows = list(rows_for(Cases(tuple(chunk)), None, today))
        pairs |= {(r.day, r.organ_id) for r in rows}
        written += _write_facts(rows)
    return written, pairs


def _in(values: Iterable[int]) -> tuple[str, list[int]]:
    listed = sorted(set(values))
    return ", ".join(["%s"] * len(listed)), listed


def _delete(models: tuple[Any, ...], where: str, params: list) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {_table(model)} WHERE {where}", params)


def _regenerate(pairs: set[tuple[dt.date, int]]) -> int:
    """Sum again the rollups of these (day, organ) pairs, and of their (month, organ) pairs, from the facts.
    One statement per day and tier, on the day's index: the rest of the day and of the month is untouched."""
    by_day: dict[dt.date, set[int]] = {}
    for day, organ in pairs:
        by_day.setdefault(day, set()).add(organ)
    by_month: dict[dt.date, set[int]] = {}
    made = 0
    for day, organs in sorted(by_day.items()):
        marks, ids = _in(organs)
        where = f"day = %s AND organ_id IN ({marks})"
        _delete((Rollup, OrganDayRollup), where, [_day(day), *ids])
        made += _sum_into(Rollup, Fact, "day", GROUPS, where, [day, *ids])
        _sum_into(OrganDayRollup, Rollup, "day", ("key", "organ_id"), where, [day, *ids])
        by_month.setdefault(day.replace(day=1), set()).update(organs)
    for month, organs in sorted(by_month.items()):
        first, last = month_bounds(month)
        marks, ids = _in(organs)
        where = f"month = %s AND organ_id IN ({marks})"
        _delete((MonthRollup, OrganMonthRollup), where, [_day(first), *ids])
        days = f"day BETWEEN %s AND %s AND organ_id IN ({marks})"
        _sum_into(MonthRollup, Rollup, "", GROUPS, days, [first, first, last, *ids])
        _sum_into(OrganMonthRollup, MonthRollup, "month", ("key", "organ_id"), where, [first, *ids])
    return made


def increment(*, today: dt.date | None = None, progress: Progress = _quiet) -> Recomputed:
    """Fold in the events since the last run, and the days whose periods ``today`` may have settled.

    The cases the new events touched have all their facts derived again (a case's facts fall on days all over
    its history: received, accepted, each period's last day) and only the rollups of the (day, organ) pairs
    they change are summed again; the days since the last run are redone whole, because a running period
    becomes late the day after its legal last day whatever case it belongs to."""
    today = today or timezone.localdate()
    state = RollupState.objects.first()
    if state is None or state.as_of is None:
        return rebuild(today=today, progress=progress)
    new = Event.objects.filter(seq__gt=state.last_seq)
    last_seq = new.aggregate(m=Max("seq"))["m"] or state.last_seq
    touched = {c for c in new.exclude(case_id=None).values_list("case_id", flat=True).distinct() if c is not None}
    with transaction.atomic():
        facts, pairs = _replace_facts_of(touched, today)
        rollups = _regenerate(pairs)
    progress(1, 2, f"{len(touched)}件案件的明细{facts}条")
    recent, day = set(), state.as_of - dt.timedelta(days=1)
    while day <= today:
        recent.add(day)
        day += dt.timedelta(days=1)
    result = recompute_days(recent, today=today)
    progress(2, 2, f"{min(recent):%Y-%m-%d}至{today:%Y-%m-%d}")
    days = len(recent | {d for d, _ in pairs})
    _save_state(last_seq, today, f"增量汇总：{len(touched)}件案件，{days}天")
    return Recomputed(days, facts + result.facts, rollups + result.rollups)
