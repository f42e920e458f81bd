"""Reads of the analytics app: indicator figures from the rollups, and the cases behind a figure.

Figures are sums over the rollups of the chosen organ's subtree (inside the viewer's scope). The cases behind
a figure are its facts' cases, listed only if the viewer may read them (`visibility.readable_cases`);
the others are counted, never listed (Art. 30(3)).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ, Role, Staff
from xinfang.rules.indicators import Indicator, Term, default_indicators

from .models import Fact, MonthRollup, OrganDayRollup, OrganMonthRollup, Rollup

VIEWER_ROLES = (Role.ANALYST, Role.LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)
Z95 = 1.959964  # the normal quantile of a two-sided 95% interval
FEW = 10  # fewer cases than this in a denominator: marked, never ranked (an engineering threshold)


def may_view(staff: Staff) -> bool:
    return staff.has_role(*VIEWER_ROLES)


def scope_organs(staff: Staff) -> QuerySet[Organ]:
    """The organs whose figures the viewer may see: the subtree the viewer's organ oversees."""
    return Organ.objects.filter(path__startswith=staff.organ.scope_path)


def organ_paths(path: str) -> dict[int, str]:
    """id -> path of every organ in the subtree at ``path``."""
    return dict(Organ.objects.filter(path__startswith=path).values_list("pk", "path"))


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    organ: Organ | None = None  # a subtree; None: the viewer's whole scope
    category: str = ""
    region: str = ""  # a division code prefix: 990102, 9901
    channel: str = ""

    def path(self, staff: Staff) -> str:
        return self.organ.path if self.organ else staff.organ.scope_path

    def q(self, staff: Staff) -> Q:
        return self.q_under(self.path(staff))

    def q_under(self, path: str, days: tuple[dt.date, dt.date] | None = None, field: str = "day") -> Q:
        # The subtree's organ ids, read first: the rollup tables are then read by their own indexes, never
        # through a join whose path-prefix estimate the planner cannot make.
        q = Q(**{f"{field}__range": days or (self.start, self.end)}, organ_id__in=sorted(organ_paths(path)))
        if self.category:
            q &= Q(category=self.category)
        if self.region:
            q &= Q(region_code__startswith=self.region)
        if self.channel:
            q &= Q(channel=self.channel)
        return q


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    rule: str  # one rule of a per-rule indicator, or ""
    numerator: int
    denominator: int | None
    value: float | None  # percent, days or count
    low: float | None = None  # Wilson 95% interval, percent
    high: float | None = None

    @property
    def rest(self) -> int:
        """The denominator's cases outside the numerator (e.g. periods not met in time)."""
        return (self.denominator or 0) - self.numerator

    @property
    def few(self) -> bool:
        return self.denominator is not None and self.indicator.is_ratio and self.denominator < FEW


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion, as fractions."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    scale = 1 + z * z / trials
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


def sums(staff: Staff, filters: Filters) -> dict[str, tuple[int, int]]:
    """key -> (count, total) over the rollups the filters select, inside the viewer's scope."""
    return sums_under(filters.path(staff), filters)


def split(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole calendar months inside ``start``..``end`` (first days of the first and last), and the days
    left over at either end."""
    first_full = start if start.day == 1 else (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    after = end + dt.timedelta(days=1)
    end_full = after.replace(day=1)  # the first day after the last whole month
    if first_full >= end_full:
        return None, [(start, end)]
    edges = [(start, first_full - dt.timedelta(days=1))] if start < first_full else []
    if end_full <= end:
        edges.append((end_full, end))
    last_month = (end_full - dt.timedelta(days=1)).replace(day=1)
    return (first_full, last_month), edges


COARSE = frozenset({"key", "organ_id"})  # the fields the per-organ tiers keep


def tiered(path: str, filters: Filters, *, fine: bool = False, **extra: object) -> list[QuerySet]:
    """The rollup rows of ``filters`` under ``path``: whole months from `MonthRollup`, the rest from `Rollup`.

    Sum the ``count`` and ``total`` of every queryset returned: together they cover each day exactly once.
    """
    months, edges = split(filters.start, filters.end)
    # Without a category, region or channel filter, the per-organ tiers hold the same sums in far fewer rows.
    coarse = not (fine or filters.category or filters.region or filters.channel)
    coarse = coarse and all(name.split("__")[0] in COARSE for name in extra)
    month_model, day_model = (OrganMonthRollup, OrganDayRollup) if coarse else (MonthRollup, Rollup)
    sets: list[QuerySet] = []
    if months:
        sets.append(month_model.objects.filter(filters.q_under(path, months, "month"), **extra))
    sets.extend(day_model.objects.filter(filters.q_under(path, days), **extra) for days in edges)
    return sets


def grouped(path: str, filters: Filters, by: tuple[str, ...], **extra: object) -> dict[tuple, tuple[int, int]]:
    """(values of ``by``) -> (count, total) summed over the tiers."""
    out: dict[tuple, tuple[int, int]] = {}
    for rows in tiered(path, filters, fine=not COARSE.issuperset(by), **extra):
        for r in rows.values(*by).annotate(n=Sum("count"), t=Sum("total")):
            k = tuple(r[b] for b in by)
            n, t = out.get(k, (0, 0))
            out[k] = (n + int(r["n"] or 0), t + int(r["t"] or 0))
    return out


def sums_under(path: str, filters: Filters) -> dict[str, tuple[int, int]]:
    """key -> (count, total) over the rollups of the organs under ``path`` (all organs: "/")."""
    return {k[0]: v for k, v in grouped(path, filters, ("key",)).items()}


def _term(term: Term, found: dict[str, tuple[int, int]], *, total: bool, rule: str = "") -> int:
    keys = (f"{term.measure}:{rule}",) if rule else term.keys()
    return sum(found.get(k, (0, 0))[1 if total else 0] for k in keys)


def figure(ind: Indicator, found: dict[str, tuple[int, int]], rule: str = "") -> Figure:
    num = _term(ind.numerator, found, total=ind.is_mean, rule=rule)
    if ind.denominator is None:
        return Figure(ind, rule, num, None, float(num))
    den = _term(ind.denominator, found, total=False, rule=rule)
    if den == 0:
        return Figure(ind, rule, num, den, None)
    if ind.is_mean:
        return Figure(ind, rule, num, den, num / den)
    low, high = wilson(num, den)
    return Figure(ind, rule, num, den, 100 * num / den, 100 * low, 100 * high)


def figures(staff: Staff, filters: Filters) -> list[Figure]:
    """Every indicator over the filters; a per-rule indicator also gives one figure per rule."""
    return figures_from(sums(staff, filters))


def figures_from(found: dict[str, tuple[int, int]]) -> list[Figure]:
    out: list[Figure] = []
    for ind in default_indicators():
        out.append(figure(ind, found))
        if ind.by_rule:
            out.extend(figure(ind, found, rule) for rule in ind.numerator.rules)
    return out


@dataclass(frozen=True)
class Ranked:
    organ: Organ
    figure: Figure


def ranking(staff: Staff, filters: Filters, ind: Indicator) -> list[Ranked]:
    """The organs directly under the chosen one (or the viewer's), by ``ind``; few-case organs last, marked.

    One grouped read of the indicator's keys per organ, summed into each child's subtree by path.
    """
    mine = staff.organ
    root = filters.organ or (mine.superior if mine.is_petition_bureau and mine.superior else mine)
    children = list(Organ.objects.filter(superior=root))
    keys = set(ind.numerator.keys()) | (set(ind.denominator.keys()) if ind.denominator else set())
    rows = grouped(root.path, filters, ("organ_id", "key"), key__in=sorted(keys))
    paths = organ_paths(root.path)
    per_child: dict[int, dict[str, tuple[int, int]]] = {c.pk: {} for c in children}
    for (organ_id, key), (rn, rt) in rows.items():
        path = paths.get(organ_id, "")
        for child in children:
            if path.startswith(child.path):
                n, t = per_child[child.pk].get(key, (0, 0))
                per_child[child.pk][key] = (n + rn, t + rt)
                break
    ranked = [Ranked(c, figure(ind, per_child[c.pk])) for c in children]
    ranked = [r for r in ranked if r.figure.denominator]
    return sorted(ranked, key=lambda r: (r.figure.few, -(r.figure.low or 0.0), -(r.figure.value or 0.0)))


LATE_OF = {"clock_on_time": "clock_late"}  # numerator measure -> the measure of the rest of the denominator


def late_keys(ind: Indicator, rule: str = "") -> tuple[str, ...]:
    """The keys of the denominator's cases outside the numerator (periods not met in time), or ()."""
    late = LATE_OF.get(ind.numerator.measure)
    if late is None:
        return ()
    return tuple(f"{late}:{r}" for r in ((rule,) if rule else ind.numerator.rules))


def keys_of(ind: Indicator, part: str, rule: str = "") -> tuple[str, ...]:
    if part == "late":
        return late_keys(ind, rule)
    term = ind.numerator if part == "numerator" or ind.denominator is None else ind.denominator
    if rule:
        return (f"{term.measure}:{rule}",)
    return term.keys()


@dataclass(frozen=True)
class Behind:
    cases: list[Case]  # readable by the viewer
    hidden: int  # counted, not listed


def cases_behind(staff: Staff, filters: Filters, keys: tuple[str, ...], *, limit: int = 500) -> Behind:
    ids = Fact.objects.filter(filters.q(staff), key__in=keys).values_list("case_id", flat=True).distinct()
    all_ids = set(ids)
    readable = readable_cases(staff).filter(pk__in=all_ids).select_related("petition", "organ")
    listed = list(readable.order_by("-received_at")[:limit])
    shown = set(readable.values_list("pk", flat=True))
    return Behind(listed, len(all_ids - shown))
