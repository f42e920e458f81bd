"""python manage.py deadline RULE START [--region CODE] [--pause FROM TO]... [--days N] [--json]"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.deadlines.selectors import deadline, uncovered_years
from xinfang.rules import Pause, RulesError

USAGE_ERROR = 2


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{field} 日期格式错误：{text!r}，应为 YYYY-MM-DD", returncode=USAGE_ERROR) from None


class Command(BaseCommand):
    help = "计算一项法定期限：期满日（due）、法定最后一日（legal_last_day）、是否为临时结果及法律依据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rule", help="规则标识，例如 handling、review_request")
        parser.add_argument("start", help="起算事件发生之日（当日不计入），YYYY-MM-DD")
        parser.add_argument("--region", help="六位行政区划代码，适用地方更严的期限，例如 330100")
        parser.add_argument(
            "--pause",
            nargs=2,
            action="append",
            default=[],
            metavar=("FROM", "TO"),
            help="不计入期限的期间（仅复核听证），首尾两日均计入中止，可重复",
        )
        parser.add_argument("--days", type=int, help="由机关指定的天数（交办期限、延期天数）")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args: Any, **options: Any) -> None:
        start = _date(options["start"], "START")
        region = options["region"]
        if region is not None and (len(region) != 6 or not region.isdigit()):
            raise CommandError(f"--region 应为六位行政区划代码，得到 {region!r}", returncode=USAGE_ERROR)
        try:
            pauses = [Pause(_date(a, "--pause FROM"), _date(b, "--pause TO")) for a, b in options["pause"]]
            result = deadline(options["rule"], start, region=region, days=options["days"], pauses=pauses)
        except RulesError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None

        if options["json"]:
            payload = {
                "rule": result.rule.id,
                "start": result.start.isoformat(),
                "due": result.due.isoformat(),
                "legal_last_day": result.legal_last_day.isoformat(),
                "provisional": result.provisional,
                "basis": result.basis(),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return

        rule = result.rule
        party = "信访人" if rule.party.value == "petitioner" else "机关、单位"
        lines = [
            f"规则：{rule.id}（{rule.code} {rule.title}）",
            f"期限：{result.days}{result.value.unit.label}，约束{party}"
            + ("" if rule.statutory else "（非法定期限，可配置）"),
            f"起算：{result.start.isoformat()}（{rule.trigger}，当日不计入）",
        ]
        for pause in result.pauses:
            lines.append(f"不计入：{pause.start.isoformat()} 至 {pause.end.isoformat()}（{pause.days}日）")
        lines += [
            f"due（期满日）：{result.due.isoformat()}",
            f"legal_last_day（法定最后一日）：{result.legal_last_day.isoformat()}"
            + ("  ← 信访人以此日为准" if rule.party.value == "petitioner" else ""),
            f"provisional（临时结果）：{'是' if result.provisional else '否'}",
            f"依据：{result.basis()}",
        ]
        if result.provisional:
            years = "、".join(str(y) for y in uncovered_years(result))
            lines.append(
                f"注意：{years}年的节假日安排尚未载入，期间按周一至周五计算，结果为临时结果；"
                "载入该年安排后请重新计算（python manage.py import_holidays 文件）。"
            )
        self.stdout.write("\n".join(lines))
