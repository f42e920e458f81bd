"""Writes to the holiday calendar. Each write is one transaction: a year is replaced whole or not at all."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .models import CalendarDay, CalendarYear

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


@transaction.atomic
def import_year(year: int, entries: Iterable[DayEntry], source: str) -> CalendarYear:
    """Replace the arrangement of ``year`` with ``entries``, atomically."""
    entries = list(entries)
    wrong = [e.date for e in entries if e.date.year != year]
    if wrong:
        raise CalendarFileError(f"日期 {wrong[0]} 不属于 {year} 年")
    calendar_year, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    calendar_year.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(calendar_year=calendar_year, date=e.date, kind=e.kind, name=e.name) for e in entries
    )
    calendar_year.save()  # touch updated_at so that cached calendars are rebuilt
    return calendar_year


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


def seed_from_package(*, replace: bool = False) -> list[int]:
    """Load every year chinese-calendar covers; existing years are kept unless ``replace``."""
    import chinese_calendar

    source = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    loaded = []
    for year, entries in sorted(package_years().items()):
        if replace or year not in existing:
            import_year(year, entries, source)
            loaded.append(year)
    return loaded
