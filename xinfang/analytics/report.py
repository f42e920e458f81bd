"""The content of a 月报 / 季报: figures of the period against the previous period and the same period last year.

Everything is read from the rollups (`selectors.sums_under`), so a report agrees with the statistics page for
the same period and organ subtree. The rendering is in `report_render`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xinfang.intake.models import Category
from xinfang.org.models import Organ
from xinfang.rules import default_rulebook
from xinfang.rules.indicators import default_indicators

from .selectors import Figure, Filters, figure, grouped, organ_paths, sums_under

MONTHLY, QUARTERLY = "monthly", "quarterly"
KIND_LABELS = {MONTHLY: "月报", QUARTERLY: "季报"}
HEADLINE = ("timely_acceptance", "on_time_conclusion", "conclusion", "satisfaction", "rating_participation",
            "repeat_petition", "review_rate", "review_changed", "follow_up")  # fmt: skip
TOP = 5  # categories and organs listed (a layout choice)


def _month_start(year: int, month: int) -> dt.date:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return dt.date(year, month, 1)


def period_of(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of month ``number`` (1-12) or quarter ``number`` (1-4) of ``year``."""
    months = 1 if kind == MONTHLY else 3
    first_month = number if kind == MONTHLY else 3 * (number - 1) + 1
    start = _month_start(year, first_month)
    return start, _month_start(year, first_month + months) - dt.timedelta(days=1)


def period_title(kind: str, year: int, number: int) -> str:
    return f"{year}年{number}月" if kind == MONTHLY else f"{year}年第{'一二三四'[number - 1]}季度"


def previous(kind: str, year: int, number: int) -> tuple[int, int]:
    last = 12 if kind == MONTHLY else 4
    return (year, number - 1) if number > 1 else (year - 1, last)


@dataclass(frozen=True)
class Compared:
    name: str
    unit: str
    now: Figure
    before: Figure  # the previous month or quarter
    last_year: Figure  # the same period a year earlier

    @staticmethod
    def change(a: Figure, b: Figure) -> float | None:
        """Percentage points (ratios) or difference (counts, days); None when either side has no value."""
        if a.value is None or b.value is None:
            return None
        return a.value - b.value


@dataclass
class ReportContent:
    kind: str
    title: str  # e.g. 东城区信访工作统计季报（2026年第三季度）
    organ_name: str
    period: str
    start: dt.date
    end: dt.date
    petitions: tuple[int, int, int]  # now, previous period, same period last year
    headline: list[Compared] = field(default_factory=list)
    categories: list[tuple[str, int, float]] = field(default_factory=list)  # name, petitions, share %
    organs: list[tuple[str, int, Figure]] = field(default_factory=list)  # name, petitions, 按期办结率
    overdue: list[tuple[str, int]] = field(default_factory=list)  # duty (period title), late count
    ratings: tuple[int, int, int] = (0, 0, 0)  # result ratings, satisfied, 不满意 follow-ups recorded


def _sums(path: str, start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    return sums_under(path, Filters(start, end))


def _organ_rows(root: Organ, start: dt.date, end: dt.date) -> list[tuple[str, int, Figure]]:
    """The organs directly under ``root`` by petitions received, each with its 按期办结率."""
    from xinfang.rules.indicators import indicator

    on_time = indicator("on_time_conclusion")
    keys = {"petition", *on_time.numerator.keys(), *(on_time.denominator.keys() if on_time.denominator else ())}
    children = list(Organ.objects.filter(superior=root))
    rows = grouped(root.path, Filters(start, end), ("organ_id", "key"), key__in=sorted(keys))
    paths = organ_paths(root.path)
    found: dict[int, dict[str, tuple[int, int]]] = {c.pk: {} for c in children}
    for (organ_id, key), (count, _total) in rows.items():
        path = paths.get(organ_id, "")
        child = next((c for c in children if path.startswith(c.path)), None)
        if child is not None:
            n, _ = found[child.pk].get(key, (0, 0))
            found[child.pk][key] = (n + count, 0)
    out = [(c.name, found[c.pk].get("petition", (0, 0))[0], figure(on_time, found[c.pk])) for c in children]
    out = [row for row in out if row[1] or row[2].denominator]
    return sorted(out, key=lambda row: (-row[1], row[0]))[:TOP]


def build_content(kind: str, year: int, number: int, root: Organ) -> ReportContent:
    """The report of ``root``'s subtree (for a petition bureau, pass the government it serves)."""
    start, end = period_of(kind, year, number)
    p_start, p_end = period_of(kind, *previous(kind, year, number))
    y_start, y_end = period_of(kind, year - 1, number)
    path = root.path
    now, before, last_year = _sums(path, start, end), _sums(path, p_start, p_end), _sums(path, y_start, y_end)
    place = root.name
    content = ReportContent(
        kind=kind,
        title=f"{place}信访工作统计{KIND_LABELS[kind]}",
        organ_name=place,
        period=period_title(kind, year, number),
        start=start,
        end=end,
        petitions=tuple(s.get("petition", (0, 0))[0] for s in (now, before, last_year)),  # type: ignore[arg-type]
    )
    by_id = {ind.id: ind for ind in default_indicators()}
    for ident in HEADLINE:
        ind = by_id.get(ident)
        if ind is not None:
            content.headline.append(
                Compared(ind.name, ind.unit, figure(ind, now), figure(ind, before), figure(ind, last_year))
            )
    cats = grouped(path, Filters(start, end), ("category",), key="petition")
    total = content.petitions[0] or 1
    labels = dict(Category.choices)
    content.categories = sorted(
        ((labels.get(cat, "其他"), n, 100 * n / total) for (cat,), (n, _t) in cats.items()),
        key=lambda row: (-row[1], row[0]),
    )[:TOP]
    content.organs = _organ_rows(root, start, end)
    titles = {r.id: r.title for r in default_rulebook().rules.values()}
    late = [(key.split(":", 1)[1], n) for key, (n, _) in now.items() if key.startswith("clock_late:") and n]
    content.overdue = sorted(((titles.get(rule, rule), n) for rule, n in late), key=lambda row: (-row[1], row[0]))
    content.ratings = (
        now.get("rated", (0, 0))[0],
        now.get("rated_satisfied", (0, 0))[0],
        now.get("follow_up_done", (0, 0))[0],
    )
    return content
