"""Working days in the PRC: weekends, statutory holidays and 调休 make-up working days.

The calendar is data handed in by the caller (the Django app stores it in the database). A year
the calendar does not cover is never guessed: days in it count Monday to Friday and every result
that touched such a day is marked provisional.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class HolidayCalendar:
    holidays: Mapping[date, str] = field(default_factory=dict)  # statutory rest days
    workdays: Mapping[date, str] = field(default_factory=dict)  # 调休 make-up working days
    years: frozenset[int] = frozenset()  # years whose official arrangement is loaded

    @classmethod
    def build(
        cls,
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
        years: Iterable[int],
    ) -> HolidayCalendar:
        return cls(dict(holidays), dict(workdays), frozenset(years))

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        """Monday–Friday, less statutory holidays, plus 调休 working days."""
        if day.year in self.years:
            if day in self.workdays:
                return True
            if day in self.holidays:
                return False
        return day.weekday() < 5

    def is_makeup_workday(self, day: date) -> bool:
        return day in self.workdays

    def holiday_name(self, day: date) -> str | None:
        return self.holidays.get(day)
