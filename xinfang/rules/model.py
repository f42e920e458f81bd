"""Value objects for the law as data. Nothing here imports Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Unit(StrEnum):
    CALENDAR_DAY = "calendar_day"  # "日"
    WORKING_DAY = "working_day"  # "工作日"
    SET_BY_ORGAN = "set_by_organ"  # "指定办理期限": the assigning organ sets it

    @property
    def label(self) -> str:
        return {"calendar_day": "日", "working_day": "个工作日", "set_by_organ": "由交办机关指定"}[self.value]


class Party(StrEnum):
    ORGAN = "organ"  # a deadline that binds an organ
    PETITIONER = "petitioner"  # a window the petitioner may use


class Nature(StrEnum):
    DUTY = "duty"  # the act must happen by the deadline; missing it is a breach (Art. 44, 45)
    WINDOW = "window"  # a right that may be used within the period and lapses if unused


class ValueKind(StrEnum):
    FIXED = "fixed"  # the period is exactly the value
    MAXIMUM = "maximum"  # the value is a ceiling; the deciding organ may set less
    SET_BY_ORGAN = "set_by_organ"  # no statutory number; the organ sets it per case


@dataclass(frozen=True)
class Citation:
    instrument: str
    article: str
    quote: str

    def text(self) -> str:
        return f"《{self.instrument}》{self.article}：“{self.quote}”"

    def short(self) -> str:
        return f"《{self.instrument}》{self.article}"


@dataclass(frozen=True)
class RuleValue:
    """One dated value of a period, with the words of the law that set it."""

    effective: date
    value: int | None
    unit: Unit
    citation: Citation
    source: str  # "national" or a region code such as "330000"
    file: str
    entry: str  # human-readable locator of the entry inside the file

    def describe(self) -> str:
        if self.value is None:
            return self.unit.label
        return f"{self.value}{self.unit.label}"


@dataclass(frozen=True)
class PauseRule:
    """A statutory interval that does not count towards the period."""

    label: str
    citation: Citation


@dataclass(frozen=True)
class Rule:
    id: str
    code: str  # D1..D12 in legal-rules.md §18.3
    title: str
    trigger: str  # the event that starts the period, in the words of the law
    party: Party
    statutory: bool
    kind: ValueKind
    values: tuple[RuleValue, ...]
    file: str
    pause: PauseRule | None = None
    configurable: bool = False
    note: str = ""
    nature: Nature = Nature.DUTY
    breach: Citation | None = None  # for a duty: the article an organ breaches when it misses the period

    def value_on(self, day: date) -> RuleValue | None:
        """The national value in force on ``day``, or None before the first one."""
        current = None
        for value in self.values:
            if value.effective <= day:
                current = value
        return current


@dataclass(frozen=True)
class RegionProfile:
    """A regional regulation that may only tighten national periods."""

    code: str
    name: str
    file: str
    values: dict[str, tuple[RuleValue, ...]] = field(default_factory=dict)

    def applies_to(self, region_code: str) -> bool:
        """330000 covers every code starting 33; 330100 every code starting 3301."""
        prefix = self.code.rstrip("0")
        if len(prefix) % 2:
            prefix += "0"
        return region_code.startswith(prefix)

    def value_on(self, rule_id: str, day: date) -> RuleValue | None:
        current = None
        for value in self.values.get(rule_id, ()):
            if value.effective <= day:
                current = value
        return current
