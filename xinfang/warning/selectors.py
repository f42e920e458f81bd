"""Reads for the risk board: the alerts a viewer may see and, of an alert's cases, those the viewer may read."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet

from xinfang.deadlines.days import day_bounds
from xinfang.intake.models import Category
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ, OrganKind, Role, Staff
from xinfang.textmining.topics import Params

from .models import Alert, DailyCount, Kind

PARAMS_FILE = Path(__file__).with_name("detector.yaml")
VIEWER_ROLES = (Role.SUPERVISOR, Role.ANALYST, Role.LEADER)
SOURCE_FIELDS = (
    "received_at", "overdue", "review_organ", "re_review_organ", "organ__name", "organ__level",
    "petition__request", "petition__facts", "petition__reasons", "petition__id_number_index",
    "petition__contact_index", "petition__collective", "petition__is_repeat", "petition__receiving_organ__level",
)  # fmt: skip


@cache
def calendar_days() -> int:
    return int(yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))["calendar_days"])


@cache
def params() -> Params:
    raw = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
    return Params(
        window_days=int(raw["window_days"]),
        baseline_days=int(raw["baseline_days"]),
        min_persons=int(raw["min_persons"]),
        min_count=int(raw["min_count"]),
        min_ratio=float(raw["min_ratio"]),
    )


def may_view(staff: Staff) -> bool:
    return staff.has_role(*VIEWER_ROLES)


def source_cases(organ: Organ, first: dt.date, last: dt.date) -> QuerySet[Case]:
    """The cases the organ's staff may read, received in [first, last], without any confidential accusation:
    an accusation never feeds an alert, so that no alert can name one to someone the rules exclude."""
    reader = Staff(organ=organ)  # only the organ decides what its staff may read
    start, after = day_bounds(first, last)  # a range on the column itself, which its index serves
    return (
        readable_cases(reader)
        .filter(received_at__gte=start, received_at__lt=after)
        .exclude(confidential_accusation=True)
        .exclude(category=Category.ACCUSATION)
        .exclude(petition__accusation=True)
        .select_related("petition__receiving_organ", "organ")
        .only(*SOURCE_FIELDS)  # never the encrypted columns: decrypting them is most of the cost and not needed
        .order_by("received_at", "pk")
    )


def current_alerts(staff: Staff, today: dt.date) -> list[Alert]:
    """Alerts of the viewer's organ and the organs under it whose window still covers today: the latest one of
    each topic and organ."""
    since = today - dt.timedelta(days=params().window_days - 1)
    alerts = Alert.objects.filter(
        organ__path__startswith=staff.organ.scope_path, day__gte=since, day__lte=today
    ).select_related("organ")
    latest: dict[tuple[int, str], Alert] = {}
    for alert in alerts.order_by("-day", "-ratio", "topic"):
        latest.setdefault((alert.organ_id, alert.topic), alert)
    return list(latest.values())


def alert_for(staff: Staff, pk: int) -> Alert | None:
    return Alert.objects.filter(pk=pk, organ__path__startswith=staff.organ.scope_path).first()


@dataclass(frozen=True)
class Behind:
    cases: list[Any]
    hidden: int


def cases_behind(staff: Staff, alert: Alert) -> Behind:
    ids = list(alert.cases.values_list("pk", flat=True))
    cases = list(readable_cases(staff).filter(pk__in=ids).select_related("petition", "organ").order_by("-received_at"))
    return Behind(cases, len(ids) - len(cases))


def has_notices(staff: Staff) -> bool:
    return Alert.objects.filter(addressee=staff.organ_id, reply_due__isnull=False).exists()


def notices_to(staff: Staff) -> list[Alert]:
    """The 预警提示函 issued to the staff's organ, newest first."""
    return list(
        Alert.objects.filter(addressee=staff.organ, reply_due__isnull=False)
        .select_related("organ", "notice")
        .order_by("-reply_due", "topic")
    )


def notice_for(staff: Staff, pk: int) -> Alert | None:
    return Alert.objects.filter(pk=pk, addressee=staff.organ, reply_due__isnull=False).select_related("notice").first()


def issued_notices(staff: Staff) -> list[Alert]:
    """The notices the viewer's organ and those under it issued, the overdue first."""
    return list(
        Alert.objects.filter(organ__path__startswith=staff.organ.scope_path, reply_due__isnull=False)
        .select_related("organ", "addressee", "notice")
        .order_by("-reply_overdue", "reply_due", "topic")
    )


def place_name(code: str) -> str:
    """A region in words (甲县), from its people's government: staff pages show no region codes."""
    organ = Organ.objects.filter(region_code=code, kind=OrganKind.OTHER).order_by("path").first()
    return organ.name.removesuffix("人民政府") if organ else "（本辖区）"


def board_bureau(staff: Staff) -> Organ | None:
    """The petition bureau whose counts the viewer's board shows: the highest one in the viewer's scope."""
    bureaus = Organ.objects.filter(path__startswith=staff.organ.scope_path, kind=OrganKind.PETITION_BUREAU)
    return min(bureaus, key=lambda o: (o.path.count("/"), o.path), default=None)


@dataclass(frozen=True)
class Barometer:
    """The 晴雨表 beyond the alerts: petitions a day (calendar), trends by category and region, the region
    table. Counts of the nightly task (first cases only: a transferred petition counts once)."""

    calendar: list[list[Any]]
    calendar_range: list[str]
    heat: list[tuple[str, list[dict[str, Any]]]]  # the heat map: a row a weekday, a column a week
    days: list[str]
    by_category: list[dict[str, Any]]
    by_region: list[dict[str, Any]]
    regions: list[dict[str, Any]]


def barometer(staff: Staff, today: dt.date) -> Barometer:
    """Counts only (never a case), from the nightly `DailyCount` rows of the viewer's bureau."""
    p = params()
    since = today - dt.timedelta(days=calendar_days() - 1)
    bureau = board_bureau(staff)
    stored = DailyCount.objects.filter(organ=bureau, day__gte=since, day__lte=today)
    per_day: Counter[dt.date] = Counter()
    for day, n in stored.values_list("day", "count"):
        per_day[day] += n
    calendar = [[d.isoformat(), n] for d, n in sorted(per_day.items())]
    weeks = heat_weeks(per_day, since, today)
    heat = [(label, [week[n] for week in weeks]) for n, label in enumerate(WEEKDAYS)]
    trend_start = today - dt.timedelta(days=p.window_days + p.baseline_days - 1)
    recent_start = today - dt.timedelta(days=p.window_days - 1)
    days = [trend_start + dt.timedelta(days=n) for n in range((today - trend_start).days + 1)]
    rows = stored.filter(day__gte=trend_start).values_list("day", "category", "region_code", "count")
    categories: dict[str, Counter[dt.date]] = defaultdict(Counter)
    regions: dict[str, Counter[dt.date]] = defaultdict(Counter)
    for day, category, region, n in rows:
        categories[Category(category).label if category else "未分类"][day] += n
        regions[region][day] += n
    names = {code: place_name(code) for code in regions}
    table: list[dict[str, Any]] = []
    for code, counts in regions.items():
        recent = sum(n for d, n in counts.items() if d >= recent_start)
        before = sum(n for d, n in counts.items() if d < recent_start)
        ratio = recent / p.window_days / (max(before, 1) / p.baseline_days)
        table.append({"region": names[code], "recent": recent, "baseline": before, "ratio": round(ratio, 2)})
    table.sort(key=lambda r: (-r["recent"], r["region"]))

    def series(groups: dict[str, Counter[dt.date]], label: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return [
            {"name": (label or {}).get(key, key), "data": [groups[key][d] for d in days]}
            for key in sorted(groups, key=lambda k: -sum(groups[k].values()))
        ]

    return Barometer(
        calendar=calendar,
        calendar_range=[since.isoformat(), today.isoformat()],
        heat=heat,
        days=[d.isoformat() for d in days],
        by_category=series(categories),
        by_region=series(regions, names),
        regions=table,
    )


HEAT_LEVELS = 4
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def heat_weeks(per_day: dict[dt.date, int], first: dt.date, last: dt.date) -> list[list[dict[str, Any]]]:
    """Weeks from the Monday on or before ``first`` to ``last``; each day its count and a level 0-4 (0: none,
    else the quarter of the busiest day's count it reaches). Days outside [first, last] are blank."""
    top = max(per_day.values(), default=0)
    day = first - dt.timedelta(days=first.weekday())
    weeks: list[list[dict[str, Any]]] = []
    while day <= last:
        week = []
        for _ in range(7):
            n = per_day.get(day, 0)
            inside = first <= day <= last
            level = 0 if not n or not top else min(HEAT_LEVELS, 1 + (n * HEAT_LEVELS - 1) // top)
            week.append({"day": day, "count": n, "level": level if inside else "", "inside": inside})
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def split(alerts: list[Alert]) -> tuple[list[Alert], list[Alert]]:
    """Hotspots and weak signals (rising topics), each by ratio or score."""
    hot = [a for a in alerts if a.kind == Kind.HOTSPOT]
    weak = sorted((a for a in alerts if a.kind == Kind.WEAK), key=lambda a: (-a.score, a.topic))
    return hot, weak
