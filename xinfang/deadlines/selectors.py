"""Reads: the working calendar from the database and deadlines computed with it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Count, Max

from xinfang.rules import Deadline, HolidayCalendar, Pause, RuleBook, default_rulebook
from xinfang.rules import effective_deadline as _effective_deadline

from .models import CalendarDay, CalendarYear

_cache: dict[str, object] = {}


def rulebook() -> RuleBook:
    """The checked rule files, with the site's overrides of non-statutory periods."""
    overrides = getattr(settings, "XINFANG_RULE_OVERRIDES", {})
    key = f"rulebook:{sorted(overrides.items())}"
    book = _cache.get(key)
    if not isinstance(book, RuleBook):
        book = default_rulebook().with_overrides(overrides)
        _cache[key] = book
    return book


def work_calendar() -> HolidayCalendar:
    """The stored calendar; rebuilt only when a year was added, changed or removed."""
    stamp = CalendarYear.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    version = f"calendar:{stamp['n']}:{stamp['changed']}:{CalendarDay.objects.count()}"
    cached = _cache.get("calendar")
    if isinstance(cached, tuple) and cached[0] == version and isinstance(cached[1], HolidayCalendar):
        return cached[1]
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == CalendarDay.HOLIDAY else workdays)[day] = name
    calendar = HolidayCalendar.build(holidays, workdays, CalendarYear.objects.values_list("year", flat=True))
    _cache["calendar"] = (version, calendar)
    return calendar


def forget_calendar() -> None:
    """Drop this process's cached calendar (after a write; other processes notice the changed stamp)."""
    _cache.pop("calendar", None)


def deadline(
    rule_id: str,
    start: date,
    *,
    region: str | None = None,
    days: int | None = None,
    pauses: Iterable[Pause] = (),
) -> Deadline:
    return _effective_deadline(rulebook(), rule_id, start, work_calendar(), region=region, days=days, pauses=pauses)


def uncovered_years(result: Deadline) -> list[int]:
    """Years the computation touched that have no official arrangement loaded."""
    calendar = work_calendar()
    years = range(result.start.year, result.legal_last_day.year + 1)
    return [y for y in years if y not in calendar.years]


def organ_rules(nature: str) -> list[str]:
    """Ids of the rules that bind organs and are of this nature ("duty" or "window")."""
    return [r.id for r in rulebook().rules.values() if r.party.value == "organ" and r.nature.value == nature]
