"""Reads of grid management. A report is seen by the workers of its area and by the staff of the area's organ
and of the organs above it; the counts per area are for those organs (the warning board can read them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from xinfang.deadlines.days import day_bounds
from xinfang.org.models import Staff
from xinfang.rules.disputes import dispute_kinds

from .models import Area, Outcome, Report, Worker


def areas_for(staff: Staff) -> QuerySet[Area]:
    """The areas whose reports this user may see: their own posts, and every area of their organ's subtree."""
    posts = Worker.objects.filter(staff=staff).values("area_id")
    return Area.objects.filter(Q(pk__in=posts) | Q(organ__path__startswith=staff.organ.scope_path)).select_related(
        "organ"
    )


def posts(staff: Staff) -> QuerySet[Area]:
    """The areas this user reports from as a grid worker."""
    return Area.objects.filter(workers__staff=staff).select_related("organ").order_by("name")


def reports(staff: Staff) -> QuerySet[Report]:
    return (
        Report.objects.filter(area__in=areas_for(staff))
        .select_related("area__organ", "reporter", "petition")
        .order_by("-reported_at", "-pk")
    )


def report_for(staff: Staff, pk: int) -> Report | None:
    return reports(staff).filter(pk=pk).first()


@dataclass
class AreaCounts:
    area: Area
    total: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)

    def outcome(self, value: str) -> int:
        return self.by_outcome.get(value, 0)

    @property
    def kinds_text(self) -> str:
        kinds = dispute_kinds()
        return "、".join(f"{kinds.label(k)} {n}" for k, n in sorted(self.by_kind.items(), key=lambda kv: -kv[1]))


def counts_by_area(staff: Staff, first: dt.date, last: dt.date) -> list[AreaCounts]:
    """Disputes reported from ``first`` to ``last`` in each area this user may see, by outcome and by kind."""
    start, end = day_bounds(first, last)
    areas = list(areas_for(staff).order_by("organ__path", "name"))
    rows = {area.pk: AreaCounts(area) for area in areas}
    made = Report.objects.filter(area__in=areas, reported_at__gte=start, reported_at__lt=end)
    grouped = made.order_by().values("area_id", "outcome", "kind").annotate(n=Count("pk"))
    for area_id, outcome, kind, n in grouped.values_list("area_id", "outcome", "kind", "n"):
        row = rows[area_id]
        row.total += n
        row.by_outcome[outcome] = row.by_outcome.get(outcome, 0) + n
        row.by_kind[kind] = row.by_kind.get(kind, 0) + n
    return list(rows.values())


OUTCOMES = [(o.value, o.label) for o in Outcome]
