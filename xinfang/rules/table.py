"""Render the rules as a table a legal reviewer can read."""

from __future__ import annotations

from .loader import RuleBook
from .model import RuleValue


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _period(value: RuleValue, maximum: bool) -> str:
    if value.value is None:
        return "由交办机关指定"
    return ("至多 " if maximum else "") + str(value.value)


def render_markdown(book: RuleBook) -> str:
    lines = [
        "# 期限规则表（rules table）",
        "",
        "本表由 `python manage.py rules_table` 根据 `xinfang/rules/data/` 下的规则文件生成，请勿手工修改。",
        "起算日当日不计入；计算方法见 `xinfang/rules/README.md`。",
        "",
        "## 全国规则",
        "",
        "| 规则 rule | 编号 | 事项 | 起算 | 期限 period | 单位 unit | 约束 | 性质 | 生效 | 依据 basis | 原文 quote |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in sorted(book.rules.values(), key=lambda r: (len(r.code), r.code)):
        for value in rule.values:
            party = "信访人" if rule.party.value == "petitioner" else "机关"
            flag = "" if rule.statutory else "（非法定，可配置）"
            lines.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        f"`{rule.id}`",
                        rule.code,
                        rule.title + flag,
                        rule.trigger,
                        _period(value, rule.kind.value == "maximum"),
                        value.unit.value,
                        party,
                        "义务（逾期即超期）" if rule.nature.value == "duty" else "期间（届满即失权）",
                        value.effective.isoformat(),
                        value.citation.short(),
                        value.citation.quote,
                    )
                )
                + " |"
            )
        if rule.pause is not None:
            lines.append(
                f"| `{rule.id}` 不计入 | {rule.code} | {_cell(rule.pause.label)}所需时间 | — | — | — | — | — | — "
                f"| {_cell(rule.pause.citation.short())} | {_cell(rule.pause.citation.quote)} |"
            )
    lines += ["", "## 地方规定（只能收紧全国期限，取较严者）", ""]
    for profile in sorted(book.regions.values(), key=lambda p: p.code):
        lines += [
            f"### {profile.code} {profile.name}",
            "",
            "| 规则 rule | 期限 period | 单位 unit | 生效 | 依据 basis | 原文 quote |",
            "|---|---|---|---|---|---|",
        ]
        for rule_id, values in sorted(profile.values.items()):
            for value in values:
                lines.append(
                    f"| `{rule_id}` | {value.value} | {value.unit.value} | {value.effective.isoformat()} "
                    f"| {_cell(value.citation.short())} | {_cell(value.citation.quote)} |"
                )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
