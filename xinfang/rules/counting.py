"""Counting statutory periods, by analogy to 民法典 Art. 201/203 (see README.md in this package).

- The trigger day is not counted; counting starts the next day (民法典 Art. 201).
- A calendar-day period of N days gives ``due`` = trigger + N.
- ``legal_last_day`` rolls ``due`` forward past rest days: weekends and statutory holidays, but
  not 调休 make-up working days (民法典 Art. 203, 民事诉讼法 Art. 85).
- A working-day period counts only working days; ``due`` is the Nth and is its own legal last day.
- A statutory pause (the re-review hearing, 条例 Art. 36(2)) adds the paused days, both ends
  inclusive.
- Where a regional profile applies, the effective period is whichever ends first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import HolidayCalendar
from .errors import NoValueInForce, PeriodInputError
from .loader import RuleBook
from .model import Party, Rule, RuleValue, Unit, ValueKind

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Pause:
    """An interval that does not count, both ends inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodInputError(f"中止期间的结束日 {self.end.isoformat()} 早于开始日 {self.start.isoformat()}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    start: date
    value: RuleValue  # the value that decided the result (national or regional)
    days: int  # the number of units applied
    due: date
    legal_last_day: date
    provisional: bool  # True when a day in a year without calendar data was involved
    pauses: tuple[Pause, ...] = ()
    considered: tuple[RuleValue, ...] = ()

    @property
    def counts_on(self) -> date:
        """The date that decides lateness for the party bound by the period.

        For a petitioner's window the legal last day counts. For an organ the law is met by the
        legal last day too; ``due`` is kept as the stricter internal target.
        """
        return self.legal_last_day if self.rule.party is Party.PETITIONER else self.due

    def basis(self) -> str:
        text = self.value.citation.text()
        national = [v for v in self.considered if v.source == "national"]
        if self.value.source != "national" and national:
            text += f"（严于{national[0].citation.short()}，取较严者）"
        if self.pauses and self.rule.pause is not None:
            text += f"；{self.rule.pause.citation.text()}"
        return text


def _validate_pauses(start: date, end: date, pauses: Sequence[Pause]) -> None:
    """Each pause must begin after the trigger day and no later than the period's (extended) end."""
    previous: Pause | None = None
    current_end = end
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.start <= start or pause.start > current_end:
            raise PeriodInputError(
                f"中止期间 {pause.start.isoformat()} 至 {pause.end.isoformat()} 不在期间内"
                f"（{start.isoformat()} 次日起至 {current_end.isoformat()}）"
            )
        if previous is not None and pause.start <= previous.end:
            raise PeriodInputError(f"中止期间 {pause.start.isoformat()} 至 {pause.end.isoformat()} 与前一中止期间重叠")
        current_end += timedelta(days=pause.days)
        previous = pause


def _count(
    unit: Unit, days: int, start: date, calendar: HolidayCalendar, pauses: Sequence[Pause]
) -> tuple[date, date, bool]:
    """Return (due, legal_last_day, provisional) for one value."""
    provisional = False
    if unit is Unit.WORKING_DAY:
        day, counted = start, 0
        while counted < days:
            day += ONE_DAY
            provisional |= not calendar.covers(day)
            if calendar.is_working_day(day) and not any(day in p for p in pauses):
                counted += 1
        return day, day, provisional
    due = start + timedelta(days=days)
    _validate_pauses(start, due, pauses)
    due += timedelta(days=sum(p.days for p in pauses))
    last = due
    provisional |= not calendar.covers(last)
    while not calendar.is_working_day(last):
        last += ONE_DAY
        provisional |= not calendar.covers(last)
    return due, last, provisional


def _days_for(rule: Rule, value: RuleValue, days: int | None) -> int:
    if rule.kind is ValueKind.SET_BY_ORGAN:
        if days is None:
            raise PeriodInputError(f"规则 {rule.id} 的期限由交办机关指定（{value.citation.short()}），请给出天数")
        if days <= 0:
            raise PeriodInputError(f"指定的天数须为正整数，得到 {days}")
        return days
    assert value.value is not None
    if days is None:
        return value.value
    if rule.kind is ValueKind.FIXED:
        raise PeriodInputError(
            f"规则 {rule.id} 是固定期限 {value.describe()}（{value.citation.short()}），不能另行指定天数"
        )
    if not 0 < days <= value.value:
        raise PeriodInputError(
            f"规则 {rule.id} 最长 {value.describe()}（{value.citation.short()}），指定的 {days} 日超出或无效"
        )
    return days


def effective_deadline(
    book: RuleBook,
    rule_id: str,
    start: date,
    calendar: HolidayCalendar,
    *,
    region: str | None = None,
    days: int | None = None,
    pauses: Iterable[Pause] = (),
) -> Deadline:
    """The period of ``rule_id`` triggered on ``start``: national, tightened by any regional value."""
    rule = book.rule(rule_id)
    pause_list = tuple(sorted(pauses, key=lambda p: p.start))
    if pause_list and rule.pause is None:
        raise PeriodInputError(
            f"规则 {rule.id} 没有法定的不计入期间；只有复核听证时间不计入复核期限（《信访工作条例》第三十六条第二款）"
        )
    national = rule.value_on(start)
    if national is None:
        first = rule.values[0].effective.isoformat()
        raise NoValueInForce(f"规则文件 {rule.file}：{start.isoformat()} 没有生效的期限取值（最早生效于 {first}）")
    considered = [national]
    for profile in book.profiles_for(region):
        regional = profile.value_on(rule.id, start)
        if regional is not None:
            considered.append(regional)

    results = []
    for value in considered:
        n = _days_for(rule, value, days)
        due, last, provisional = _count(value.unit, n, start, calendar, pause_list)
        results.append((last, due, value, n, provisional))
    last, due, value, n, _ = min(results, key=lambda r: (r[0], r[1]))
    return Deadline(
        rule=rule,
        start=start,
        value=value,
        days=n,
        due=due,
        legal_last_day=last,
        provisional=any(r[4] for r in results),
        pauses=pause_list,
        considered=tuple(considered),
    )
