"""Does what is stored agree with the event chain? Derive every fact again in memory and compare.

`analytics_rollup --check` runs this: the daily rollups must equal the facts derived afresh from the events and
clocks (as of the rollups' own ``as_of`` day), and each month rollup the sum of its days. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Max, Min, Sum

from .facts import rows_for
from .models import MonthRollup, OrganDayRollup, OrganMonthRollup, Rollup
from .services import _chunks, month_bounds

Dim = tuple[dt.date, str, int, str, str, str]


@dataclass
class Agreement:
    days: int = 0
    rollups: int = 0
    months: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def _stored(start: dt.date, end: dt.date) -> dict[Dim, tuple[int, int]]:
    rows = Rollup.objects.filter(day__range=(start, end)).values_list(
        "day", "key", "organ_id", "category", "region_code", "channel", "count", "total"
    )
    return {(d, k, o, c, r, ch): (n, t) for d, k, o, c, r, ch, n, t in rows}


def _derived(start: dt.date, end: dt.date, today: dt.date) -> dict[Dim, tuple[int, int]]:
    counts: Counter[Dim] = Counter()
    totals: Counter[Dim] = Counter()
    for row in rows_for(start, end, today):
        if start <= row.day <= end:
            dim = (row.day, row.key, row.organ_id, row.category, row.region_code, row.channel)
            counts[dim] += 1
            totals[dim] += row.value
    return {dim: (n, totals[dim]) for dim, n in counts.items()}


def _months_agree(start: dt.date, end: dt.date, out: Agreement) -> None:
    month = start.replace(day=1)
    while month <= end:
        first, last = month_bounds(month)
        by_day = Rollup.objects.filter(day__range=(first, last)).values_list("key", "organ_id", "category",
                                                                           "region_code", "channel")  # fmt: skip
        daily = {
            tuple(r[:5]): (int(r[5] or 0), int(r[6] or 0)) for r in by_day.annotate(n=Sum("count"), t=Sum("total"))
        }
        monthly = {
            (k, o, c, r, ch): (n, t)
            for k, o, c, r, ch, n, t in MonthRollup.objects.filter(month=first).values_list(
                "key", "organ_id", "category", "region_code", "channel", "count", "total"
            )
        }
        out.months += 1
        _coarse_agree(first, last, out)
        if daily != monthly:
            wrong = sorted(set(daily.items()) ^ set(monthly.items()), key=str)[:3]
            out.differences.append(f"{first:%Y-%m} 月汇总与日汇总不一致：{wrong}")
        month = last + dt.timedelta(days=1)


def _sum_by(rows: object, *by: str) -> dict[tuple[object, ...], tuple[int, int]]:
    summed = rows.values(*by).annotate(n=Sum("count"), t=Sum("total"))  # type: ignore[attr-defined]
    return {tuple(r[b] for b in by): (int(r["n"] or 0), int(r["t"] or 0)) for r in summed}


def _coarse_agree(first: dt.date, last: dt.date, out: Agreement) -> None:
    """The per-organ tiers of one month equal the fine tiers summed over category, region and channel."""
    days = Rollup.objects.filter(day__range=(first, last))
    if _sum_by(days, "day", "key", "organ_id") != _sum_by(
        OrganDayRollup.objects.filter(day__range=(first, last)), "day", "key", "organ_id"
    ):
        out.differences.append(f"{first:%Y-%m} 机关日汇总与日汇总不一致")
    if _sum_by(MonthRollup.objects.filter(month=first), "key", "organ_id") != _sum_by(
        OrganMonthRollup.objects.filter(month=first), "key", "organ_id"
    ):
        out.differences.append(f"{first:%Y-%m} 机关月汇总与月汇总不一致")


def check(today: dt.date, *, progress: Callable[[int, int, str], None] | None = None) -> Agreement:
    """Compare every stored day (first to last rollup day, or the clocks' horizon) with a fresh derivation."""
    out = Agreement()
    bounds = Rollup.objects.aggregate(first=Min("day"), last=Max("day"))
    if bounds["first"] is None:
        return out
    spans = _chunks(bounds["first"], bounds["last"])
    for i, (start, end) in enumerate(spans, 1):
        stored, derived = _stored(start, end), _derived(start, end, today)
        out.days += (end - start).days + 1
        out.rollups += len(stored)
        if stored != derived:
            keys = sorted(set(stored) ^ set(derived) | {k for k in stored if stored[k] != derived.get(k)}, key=str)
            out.differences.append(f"{start:%Y-%m-%d}至{end:%Y-%m-%d}：{len(keys)}组不一致，例如 {keys[:3]}")
        if progress:
            progress(i, len(spans), f"{start:%Y-%m-%d}至{end:%Y-%m-%d}：核对{len(stored)}条")
    _months_agree(bounds["first"], bounds["last"], out)
    return out
