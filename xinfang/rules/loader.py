"""Load and check the rule files. A file that is uncited, undated or looser than the law is refused.

Every refusal names the file and the entry, so that a legal reviewer can find it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .model import Citation, Nature, Party, PauseRule, RegionProfile, Rule, RuleValue, Unit, ValueKind

DATA_DIR = Path(__file__).parent / "data"


def _require(mapping: Mapping[str, Any], key: str, file: str, entry: str) -> Any:
    value = mapping.get(key)
    if value is None or value == "":
        raise RuleFileError(file, entry, f"缺少必填字段 {key}")
    return value


def _citation(raw: Any, file: str, entry: str) -> Citation:
    if not isinstance(raw, Mapping):
        raise RuleFileError(file, entry, "缺少引用依据 citation（须写明 instrument、article、quote）")
    parts = {}
    for key in ("instrument", "article", "quote"):
        text = raw.get(key)
        if not isinstance(text, str) or not text.strip():
            raise RuleFileError(file, entry, f"引用依据不完整：缺少 citation.{key}")
        parts[key] = text.strip()
    return Citation(**parts)


def _date(raw: Any, file: str, entry: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise RuleFileError(file, entry, f"生效日期 effective 格式错误：{raw!r}") from None


def _values(raw: Any, *, kind: ValueKind, source: str, file: str, entry_prefix: str) -> tuple[RuleValue, ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleFileError(file, entry_prefix, "没有任何带日期的取值 values")
    values = []
    for index, item in enumerate(raw, start=1):
        entry = f"{entry_prefix}第{index}项"
        if not isinstance(item, Mapping):
            raise RuleFileError(file, entry, "取值必须是含 effective、value、unit、citation 的映射")
        effective = _date(_require(item, "effective", file, entry), file, entry)
        entry = f"{entry}（生效日期 {effective.isoformat()}）"
        try:
            unit = Unit(_require(item, "unit", file, entry))
        except ValueError:
            raise RuleFileError(file, entry, f"未知的单位 unit：{item.get('unit')!r}") from None
        value = item.get("value")
        if unit is Unit.SET_BY_ORGAN:
            if value is not None:
                raise RuleFileError(file, entry, "由交办机关指定的期限不应写固定天数 value")
        elif not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise RuleFileError(file, entry, f"该日期没有有效的期限取值 value（得到 {value!r}）")
        if (unit is Unit.SET_BY_ORGAN) != (kind is ValueKind.SET_BY_ORGAN):
            raise RuleFileError(file, entry, f"单位 {unit.value} 与期限类型 {kind.value} 不一致")
        citation = _citation(item.get("citation"), file, entry)
        values.append(RuleValue(effective, value, unit, citation, source, file, entry))
    dates = [v.effective for v in values]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise RuleFileError(file, entry_prefix, "取值须按生效日期升序排列且日期不得重复")
    return tuple(values)


def load_rule(path: Path) -> Rule:
    file = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, Mapping):
        raise RuleFileError(file, "文件", "内容必须是一个映射")
    rule_id = _require(raw, "id", file, "id")
    if rule_id != path.stem:
        raise RuleFileError(file, "id", f"规则标识 {rule_id} 必须与文件名 {path.stem} 一致")
    try:
        kind = ValueKind(raw.get("kind", "fixed"))
        party = Party(_require(raw, "party", file, "party"))
        default_nature = Nature.WINDOW if party is Party.PETITIONER else Nature.DUTY
        nature = Nature(raw.get("nature", default_nature))
    except ValueError as exc:
        raise RuleFileError(file, "kind/party/nature", str(exc)) from None
    statutory = raw.get("statutory")
    if not isinstance(statutory, bool):
        raise RuleFileError(file, "statutory", "必须写明是否为法定期限（true/false）")
    pause = None
    if raw.get("pause") is not None:
        pause_raw = raw["pause"]
        pause = PauseRule(
            label=_require(pause_raw, "label", file, "pause"),
            citation=_citation(pause_raw.get("citation"), file, "pause"),
        )
    breach = _citation(raw["breach"], file, "breach") if raw.get("breach") is not None else None
    if nature is Nature.DUTY and breach is None:
        raise RuleFileError(file, "breach", "组织的期限须写明超期所违反的条款（instrument、article、quote）")
    return Rule(
        id=rule_id,
        code=str(_require(raw, "code", file, "code")),
        title=_require(raw, "title", file, "title"),
        trigger=_require(raw, "trigger", file, "trigger"),
        party=party,
        statutory=statutory,
        kind=kind,
        values=_values(raw.get("values"), kind=kind, source="national", file=file, entry_prefix=""),
        file=file,
        pause=pause,
        configurable=bool(raw.get("configurable", False)),
        nature=nature,
        note=str(raw.get("note", "") or "").strip(),
        breach=breach,
    )


def _at_most_as_long(regional: RuleValue, national: RuleValue) -> bool:
    """Whether ``regional`` can never run longer than ``national``.

    Same unit: compare the numbers. A calendar-day period never outlasts the same number of
    working days. A working-day value is accepted against a calendar-day one only if it fits
    in an ordinary five-day week (w ≤ c × 5/7); across a long holiday the effective period is
    still the earlier of the two dates (see counting.effective_deadline), so the national limit
    is never exceeded.
    """
    assert regional.value is not None and national.value is not None
    if regional.unit == national.unit or regional.unit is Unit.CALENDAR_DAY:
        return regional.value <= national.value
    return regional.value * 7 <= national.value * 5


def load_region(path: Path, rules: Mapping[str, Rule]) -> RegionProfile:
    file = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, Mapping):
        raise RuleFileError(file, "文件", "内容必须是一个映射")
    code = str(_require(raw, "region", file, "region"))
    if len(code) != 6 or not code.isdigit() or code != path.stem:
        raise RuleFileError(file, "region", f"行政区划代码须为六位数字且与文件名一致：{code}")
    values: dict[str, tuple[RuleValue, ...]] = {}
    for rule_id, raw_values in (raw.get("rules") or {}).items():
        if rule_id not in rules:
            raise RuleFileError(file, rule_id, "没有这一全国规则，地方规定只能收紧已有期限")
        rule = rules[rule_id]
        if rule.kind is ValueKind.SET_BY_ORGAN:
            raise RuleFileError(file, rule_id, "该期限由交办机关指定，地方规定不得另设")
        parsed = _values(raw_values, kind=rule.kind, source=code, file=file, entry_prefix=rule_id)
        for index, regional in enumerate(parsed):
            until = parsed[index + 1].effective if index + 1 < len(parsed) else None
            for n_index, national in enumerate(rule.values):
                n_until = rule.values[n_index + 1].effective if n_index + 1 < len(rule.values) else None
                overlaps = (until is None or national.effective < until) and (
                    n_until is None or regional.effective < n_until
                )
                if overlaps and not _at_most_as_long(regional, national):
                    raise RuleFileError(
                        file,
                        regional.entry,
                        f"地方期限 {regional.describe()}（{regional.citation.short()}）"
                        f"宽于全国期限 {national.describe()}（{national.citation.short()}），"
                        "地方规定只能收紧全国期限",
                    )
        values[rule_id] = parsed
    return RegionProfile(code=code, name=_require(raw, "name", file, "name"), file=file, values=values)


class RuleBook:
    """All national rules and regional profiles, checked."""

    def __init__(self, rules: Mapping[str, Rule], regions: Mapping[str, RegionProfile]) -> None:
        self.rules = dict(rules)
        self.regions = dict(regions)

    def rule(self, rule_id: str) -> Rule:
        from .errors import UnknownRule

        try:
            return self.rules[rule_id]
        except KeyError:
            known = "、".join(sorted(self.rules))
            raise UnknownRule(f"未知的期限规则 {rule_id!r}；可用的规则：{known}") from None

    def profiles_for(self, region_code: str | None) -> list[RegionProfile]:
        if not region_code:
            return []
        return [p for p in self.regions.values() if p.applies_to(region_code)]

    def with_overrides(self, overrides: Mapping[str, int]) -> RuleBook:
        """Replace the value of configurable (non-statutory) rules, e.g. recommendation_reply."""
        rules = dict(self.rules)
        for rule_id, days in overrides.items():
            rule = self.rule(rule_id)
            if not rule.configurable:
                raise RuleFileError("XINFANG_RULE_OVERRIDES", rule_id, "法定期限不能通过配置修改，只能修改规则文件")
            if not isinstance(days, int) or days <= 0:
                raise RuleFileError("XINFANG_RULE_OVERRIDES", rule_id, f"天数须为正整数：{days!r}")
            last = rule.values[-1]
            configured = RuleValue(
                effective=last.effective,
                value=days,
                unit=last.unit,
                citation=Citation(
                    instrument="本平台配置",
                    article="XINFANG_RULE_OVERRIDES",
                    quote=f"{rule_id} = {days}（非法定期限，由本地配置）",
                ),
                source="config",
                file="XINFANG_RULE_OVERRIDES",
                entry=rule_id,
            )
            rules[rule_id] = Rule(**{**rule.__dict__, "values": (*rule.values[:-1], configured)})
        return RuleBook(rules, self.regions)


def load_rulebook(data_dir: Path = DATA_DIR) -> RuleBook:
    rules: dict[str, Rule] = {}
    for path in sorted((data_dir / "national").glob("*.yaml")):
        rule = load_rule(path)
        rules[rule.id] = rule
    regions = {}
    for path in sorted((data_dir / "regions").glob("*.yaml")):
        profile = load_region(path, rules)
        regions[profile.code] = profile
    return RuleBook(rules, regions)


@cache
def default_rulebook() -> RuleBook:
    return load_rulebook()
