"""Writes to the holiday calendar. Each write is one transaction: a year is replaced whole or not at all.

Every change is an event in the audit chain (``change_calendar``), and the apps whose dates depend on the
calendar recompute them in the same transaction through the hooks registered in ``CALENDAR_HOOKS`` (the
lifecycle registers the recomputation of open clocks): this app never imports them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event

from .models import CalendarDay, CalendarYear
from .selectors import forget_calendar

KIND_WORDS = {
    "holiday": CalendarDay.HOLIDAY,
    "休": CalendarDay.HOLIDAY,
    "假": CalendarDay.HOLIDAY,
    "workday": CalendarDay.WORKDAY,
    "班": CalendarDay.WORKDAY,
}


class CalendarFileError(ValueError):
    """A holiday file that cannot be imported; the message names the line and the field."""


@dataclass(frozen=True)
class DayEntry:
    date: dt.date
    kind: str
    name: str


def parse_year_file(text: str) -> tuple[int, list[DayEntry]]:
    """Parse the simple year file: a CSV with the columns 日期/date, 类型/kind, 名称/name.

    Lines starting with # are comments. 类型 is 休 (statutory holiday) or 班 (调休 working day);
    holiday/workday are accepted too. All dates must fall in one year.
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise CalendarFileError("文件为空：至少需要一行表头和一行日期")
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header = [h.strip().lower() for h in next(reader)]
    aliases = {"日期": "date", "类型": "kind", "名称": "name"}
    header = [aliases.get(h, h) for h in header]
    if header[:2] != ["date", "kind"]:
        raise CalendarFileError("第1行表头应为：日期,类型,名称（或 date,kind,name）")
    entries: list[DayEntry] = []
    seen: set[dt.date] = set()
    for number, row in enumerate(reader, start=2):
        cells = [c.strip() for c in row] + ["", "", ""]
        try:
            day = dt.date.fromisoformat(cells[0])
        except ValueError:
            raise CalendarFileError(f"第{number}行「日期」格式错误：{cells[0]!r}，应为 YYYY-MM-DD") from None
        kind = KIND_WORDS.get(cells[1].lower())
        if kind is None:
            raise CalendarFileError(f"第{number}行「类型」应为“休”或“班”，得到 {cells[1]!r}")
        if day in seen:
            raise CalendarFileError(f"第{number}行「日期」{day} 重复")
        seen.add(day)
        entries.append(DayEntry(day, kind, cells[2]))
    if not entries:
        raise CalendarFileError("文件中没有日期行")
    years = {e.date.year for e in entries}
    if len(years) != 1:
        raise CalendarFileError(f"一个文件只能导入一个年份，文件中有：{sorted(years)}")
    return years.pop(), entries


@dataclass(frozen=True)
class CalendarChange:
    """What a calendar write changed, for the hooks that recompute dates depending on it."""

    year: int
    dates: frozenset[dt.date]  # days added, removed or switched between 休 and 班
    coverage_changed: bool  # the year was loaded or unloaded: every day of it may now count differently
    event: Any  # the change_calendar event
    at: dt.datetime
    actor_label: str

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day whose counting may have changed, or None if nothing did."""
        if self.coverage_changed:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        return (min(self.dates), max(self.dates)) if self.dates else None


CalendarHook = Callable[[CalendarChange], object]
CALENDAR_HOOKS: list[CalendarHook] = []


def on_calendar_change(hook: CalendarHook) -> CalendarHook:
    """Register ``hook`` to run, inside the calendar write's transaction, after every change."""
    if hook not in CALENDAR_HOOKS:
        CALENDAR_HOOKS.append(hook)
    return hook


Days = dict[dt.date, tuple[str, str]]  # date -> (kind, name)


def snapshot(year: int) -> Days | None:
    """The stored days of ``year``, or None if the year is not loaded."""
    if not CalendarYear.objects.filter(year=year).exists():
        return None
    return {d: (k, n) for d, k, n in CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name")}


def _dates(days: Days, kind: str) -> set[dt.date]:
    return {d for d, (k, _) in days.items() if k == kind}


def record_change(
    year: int,
    before: Days | None,
    *,
    source: str,
    actor: Any = None,
    actor_label: str = "",
    now: dt.datetime | None = None,
) -> CalendarChange:
    """Record what changed in ``year`` since ``before`` as an event, then run the hooks. Call in the write's
    transaction, after the write."""
    now = now or timezone.now()
    after = snapshot(year)
    old, new = before or {}, after or {}
    lists = {}
    for kind, word in ((CalendarDay.HOLIDAY, "holidays"), (CalendarDay.WORKDAY, "workdays")):
        lists[f"{word}_added"] = sorted(_dates(new, kind) - _dates(old, kind))
        lists[f"{word}_removed"] = sorted(_dates(old, kind) - _dates(new, kind))
    changed = frozenset(d for d in old.keys() | new.keys() if old.get(d, ("",))[0] != new.get(d, ("",))[0])
    label = actor_label or (str(actor) if actor else "系统")
    forget_calendar()  # this process reads the new calendar at once, even within the same clock tick
    event = record_event(
        action="change_calendar",
        at=now,
        actor=actor,
        actor_label=label,
        basis=source,
        payload={"year": year, "source": source, "loaded_before": before is not None, "loaded": after is not None}
        | {key: [d.isoformat() for d in value] for key, value in lists.items()},
    )
    change = CalendarChange(year, changed, (before is None) != (after is None), event, now, label)
    for hook in list(CALENDAR_HOOKS):
        hook(change)
    return change


@transaction.atomic
def import_year(
    year: int,
    entries: Iterable[DayEntry],
    source: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    now: dt.datetime | None = None,
) -> CalendarYear:
    """Replace the arrangement of ``year`` with ``entries``, atomically, as one event."""
    entries = list(entries)
    wrong = [e.date for e in entries if e.date.year != year]
    if wrong:
        raise CalendarFileError(f"日期 {wrong[0]} 不属于 {year} 年")
    before = snapshot(year)
    calendar_year, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    replace_days(calendar_year, entries)
    record_change(year, before, source=source, actor=actor, actor_label=actor_label, now=now)
    return calendar_year


def replace_days(calendar_year: CalendarYear, entries: Iterable[DayEntry]) -> None:
    """The write alone; the caller records the change (``record_change``) in the same transaction."""
    calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=calendar_year, date=e.date, kind=e.kind, name=e.name) for e in entries
    )
    calendar_year.save()  # touch updated_at so that cached calendars are rebuilt


@transaction.atomic
def remove_year(year: int, *, actor: Any = None, actor_label: str = "", now: dt.datetime | None = None) -> None:
    """Unload ``year``: its periods are counted by weekends again, marked provisional."""
    before = snapshot(year)
    if before is None:
        return
    source = CalendarYear.objects.get(year=year).source
    CalendarYear.objects.filter(year=year).delete()
    record_change(year, before, source=f"删除：{source}", actor=actor, actor_label=actor_label, now=now)


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_years() -> dict[int, list[DayEntry]]:
    """Every year the chinese-calendar package covers, as entries with Chinese names."""
    import chinese_calendar

    by_year: dict[int, list[DayEntry]] = {}
    for table, kind in (
        (chinese_calendar.holidays, CalendarDay.HOLIDAY),
        (chinese_calendar.workdays, CalendarDay.WORKDAY),  # 调休 make-up working days only
    ):
        for day, name in table.items():
            entry = DayEntry(day, kind, HOLIDAY_NAMES.get(str(name), str(name)))
            by_year.setdefault(day.year, []).append(entry)
    return by_year


def seed_from_package(*, replace: bool = False, actor_label: str = "") -> list[int]:
    """Load every year chinese-calendar covers; existing years are kept unless ``replace``."""
    import chinese_calendar

    source = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    loaded = []
    for year, entries in sorted(package_years().items()):
        if replace or year not in existing:
            import_year(year, entries, source, actor_label=actor_label)
            loaded.append(year)
    return loaded
