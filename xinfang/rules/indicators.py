"""Statistical indicators (统计指标) as data, from `data/indicators/*.yaml`. Django-free.

Each file names one indicator: its Chinese name, its definition in words, its numerator and denominator as
sums of *measures* (facts the analytics app derives from the event chain and the clocks, listed in
`MEASURES`), its unit and its source: the provincial assessment rule it follows, or "本平台定义". A measure
that counts clocks names the rules (period ids in `data/national/`) it counts. A malformed or uncited file
is refused, naming the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .loader import DATA_DIR

INDICATOR_DIR = DATA_DIR / "indicators"
PLATFORM = "本平台定义"

# The measures the analytics app computes (xinfang/analytics/facts.py), and whether each counts clocks.
MEASURES: dict[str, bool] = {
    "clock_due": True,  # organ periods whose legal last day fell on the day and that are settled (met or past)
    "clock_on_time": True,  # of those, met by the legal last day
    "clock_late": True,  # of those, not met by the legal last day
    "clock_days": True,  # met periods, on the day they were met; total = days from start to stop
    "petition": False,  # petitions received (first case of each)
    "repeat": False,  # of those, linked to an existing matter
    "accepted": False,  # cases accepted
    "concluded": False,  # of those, concluded (opinion issued, or a terminal state)
    "served": False,  # handling opinions served
    "served_rated": False,  # of those, whose result the petitioner rated
    "served_reviewed": False,  # of those, for which review was requested
    "rated": False,  # result ratings
    "rated_satisfied": False,  # of those, 满意 or 基本满意
    "decided": False,  # review and re-review opinions
    "decided_changed": False,  # of those, that changed the original
    "follow_up_due": False,  # 不满意 ratings, each of which queues a 回访
    "follow_up_done": False,  # of those, whose 回访 is recorded
}
UNITS = ("%", "件", "日")


@dataclass(frozen=True)
class Term:
    """A numerator or a denominator: the sum of one measure over ``rules`` (clock measures), in words."""

    measure: str
    words: str
    rules: tuple[str, ...] = ()

    def keys(self) -> tuple[str, ...]:
        """The rollup keys summed: ``measure`` alone, or ``measure:rule`` for each rule."""
        return tuple(f"{self.measure}:{r}" for r in self.rules) if self.rules else (self.measure,)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    definition: str
    numerator: Term
    denominator: Term | None  # None for a count
    unit: str
    source: str
    basis: str  # the articles the periods or the steps counted come from
    order: int = 0
    by_rule: bool = False  # shown broken down per rule (overdue by duty, days per stage)

    @property
    def is_ratio(self) -> bool:
        return self.unit == "%"

    @property
    def is_mean(self) -> bool:
        return self.unit == "日"


def _need(raw: dict[str, Any], key: str, file: str, entry: str) -> Any:
    value = raw.get(key)
    if value in (None, "", []):
        raise RuleFileError(file, entry, f"缺少「{key}」")
    return value


def _term(raw: Any, file: str, entry: str) -> Term:
    if not isinstance(raw, dict):
        raise RuleFileError(file, entry, "应为包含 measure 与 words 的映射")
    measure = str(_need(raw, "measure", file, entry))
    if measure not in MEASURES:
        raise RuleFileError(file, entry, f"未知的计量「{measure}」")
    rules = tuple(str(r) for r in raw.get("rules") or ())
    if MEASURES[measure] and not rules:
        raise RuleFileError(file, entry, f"计量「{measure}」须列出所计期限规则（rules）")
    if rules and not MEASURES[measure]:
        raise RuleFileError(file, entry, f"计量「{measure}」不按期限规则计算，不应列出 rules")
    return Term(measure, str(_need(raw, "words", file, entry)), rules)


def load_indicator(path: Path, known_rules: frozenset[str] = frozenset()) -> Indicator:
    file = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise RuleFileError(file, "—", "文件应为映射")
    ident = str(_need(raw, "id", file, "id"))
    if ident != path.stem:
        raise RuleFileError(file, "id", f"应与文件名一致（{path.stem}）")
    source, basis = str(_need(raw, "source", file, "source")), str(_need(raw, "basis", file, "basis"))
    if source != PLATFORM and not source.startswith("《"):
        raise RuleFileError(file, "source", f"应为所依据的考核规定（以《》开头）或「{PLATFORM}」")
    if not basis.startswith("《"):
        raise RuleFileError(file, "basis", "应引用法规条文（以《》开头）")
    unit = str(_need(raw, "unit", file, "unit"))
    if unit not in UNITS:
        raise RuleFileError(file, "unit", f"单位应为 {'、'.join(UNITS)} 之一")
    numerator = _term(_need(raw, "numerator", file, "numerator"), file, "numerator")
    denominator = _term(raw["denominator"], file, "denominator") if raw.get("denominator") else None
    if unit != "件" and denominator is None:
        raise RuleFileError(file, "denominator", "比率和平均值须有分母")
    unknown = {r for t in (numerator, denominator) if t for r in t.rules} - known_rules if known_rules else set()
    if unknown:
        raise RuleFileError(file, "rules", f"未知的期限规则：{'、'.join(sorted(unknown))}")
    return Indicator(
        id=ident,
        name=str(_need(raw, "name", file, "name")),
        definition=str(_need(raw, "definition", file, "definition")).strip(),
        numerator=numerator,
        denominator=denominator,
        unit=unit,
        source=source,
        basis=basis,
        order=int(raw.get("order", 0)),
        by_rule=bool(raw.get("by_rule", False)),
    )


def load_indicators(directory: Path = INDICATOR_DIR) -> tuple[Indicator, ...]:
    national = frozenset(p.stem for p in (directory.parent / "national").glob("*.yaml"))
    found = [load_indicator(p, national) for p in sorted(directory.glob("*.yaml"))]
    return tuple(sorted(found, key=lambda i: (i.order, i.id)))


@cache
def default_indicators() -> tuple[Indicator, ...]:
    return load_indicators()


def indicator(ident: str) -> Indicator:
    for item in default_indicators():
        if item.id == ident:
            return item
    raise KeyError(ident)
