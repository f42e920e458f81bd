"""Periods in words, for a region and a day: what texts, forms and templates show.

Every text that names a period asks here, so that no number of days is typed anywhere else.
The words name the value the law in force states for the region: a regional value where a profile
covering the region has one on that day, else the national one. (The computed deadline, in
``counting.effective_deadline``, still takes whichever of the two ends first.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .loader import RuleBook, default_rulebook
from .model import Citation, Rule, RuleValue, Unit, ValueKind

MAXIMUM_PREFIX = "不超过"


@dataclass(frozen=True)
class Term:
    """The period of one rule as it applies in a region on a day."""

    rule: Rule
    value: RuleValue  # the value the words quote (regional if one applies, else national)
    national: RuleValue  # the national value in force the same day

    @property
    def days(self) -> int | None:
        """The number of units (days or working days); None when the organ sets it."""
        return self.value.value

    @property
    def unit(self) -> Unit:
        return self.value.unit

    @property
    def maximum(self) -> bool:
        return self.rule.kind is ValueKind.MAXIMUM

    @property
    def citation(self) -> Citation:
        return self.value.citation

    @property
    def regional(self) -> bool:
        return self.value.source not in ("national", "config")

    def words(self, *, ceiling: bool = True) -> str:
        """ "15日", "5个工作日", "不超过30日" (ceiling=False: "30日"), "由交办机关指定"."""
        text = self.value.describe()
        if ceiling and self.maximum and self.value.value is not None:
            text = MAXIMUM_PREFIX + text
        return text

    def basis(self) -> str:
        """The short citation, e.g. "《浙江省信访条例（2016修订）》第二十条第一款"."""
        return self.citation.short()


def term(rule_id: str, region: str | None = None, on: date | None = None, *, book: RuleBook | None = None) -> Term:
    """The period of ``rule_id`` for ``region`` (a six-digit division code) in force on ``on`` (default: today).

    Raises UnknownRule for an unknown id and NoValueInForce for a day before the first value.
    """
    from .errors import NoValueInForce

    book = book or default_rulebook()
    day = on or date.today()
    rule = book.rule(rule_id)
    national = rule.value_on(day)
    if national is None:
        first = rule.values[0].effective.isoformat()
        raise NoValueInForce(f"规则文件 {rule.file}：{day.isoformat()} 没有生效的期限取值（最早生效于 {first}）")
    chosen = national
    # A more specific profile (330100) wins over a broader one (330000).
    for profile in sorted(book.profiles_for(region), key=lambda p: len(p.code.rstrip("0"))):
        regional = profile.value_on(rule.id, day)
        if regional is not None:
            chosen = regional
    return Term(rule=rule, value=chosen, national=national)


def period_words(
    rule_id: str,
    region: str | None = None,
    on: date | None = None,
    *,
    ceiling: bool = True,
    book: RuleBook | None = None,
) -> str:
    """The period in words: "15日" / "5个工作日" / "60日"; maximum-kind rules "不超过30日" (ceiling=False: "30日")."""
    return term(rule_id, region, on, book=book).words(ceiling=ceiling)


def period_days(
    rule_id: str, region: str | None = None, on: date | None = None, *, book: RuleBook | None = None
) -> int:
    """The number of units of the period (for form bounds such as the extension's maximum days).

    Raises ValueError for a rule whose period the organ sets (assignment_report).
    """
    value = term(rule_id, region, on, book=book).days
    if value is None:
        raise ValueError(f"规则 {rule_id} 的期限由交办机关指定，没有法定天数")
    return value


def all_period_words(
    region: str | None = None, on: date | None = None, *, ceiling: bool = False, book: RuleBook | None = None
) -> dict[str, str]:
    """Rule id -> words, for ``str.format(**...)`` of texts with {rule_id} placeholders.

    ``ceiling`` defaults to False because such texts usually say "不超过{handling_extension}" themselves.
    Rules with no value in force on the day are left out.
    """
    book = book or default_rulebook()
    day = on or date.today()
    words: dict[str, str] = {}
    for rule_id, rule in book.rules.items():
        if rule.value_on(day) is not None:
            words[rule_id] = term(rule_id, region, day, book=book).words(ceiling=ceiling)
    return words
