"""Print every indicator over a period, from the rollups: numerator, denominator, value (and interval)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.analytics.selectors import Filters, figures_from, sums_under
from xinfang.org.models import Organ


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{raw}") from exc


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class Command(BaseCommand):
    help = "打印统计期内各项指标的分子、分母和数值（由日汇总计算；先运行 analytics_rollup）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--organ", type=int, help="机关编号（含下级）；默认全部机关")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to 不得早于 --from")
        path = "/"
        if options["organ"] is not None:
            organ = Organ.objects.filter(pk=options["organ"]).first()
            if organ is None:
                raise CommandError(f"没有编号为 {options['organ']} 的机关")
            path = organ.path
        found = figures_from(sums_under(path, Filters(start, end)))
        rows = [
            {
                "id": f.indicator.id,
                "name": f.indicator.name,
                "rule": f.rule,
                "numerator": f.numerator,
                "denominator": f.denominator,
                "value": _round(f.value),
                "unit": f.indicator.unit,
                "interval": [_round(f.low), _round(f.high)] if f.low is not None else None,
            }
            for f in found
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in rows:
            value = "—" if r["value"] is None else f"{r['value']:.2f}{r['unit']}"
            label = f"{r['name']}·{r['rule']}" if r["rule"] else r["name"]
            den = "" if r["denominator"] is None else f" / {r['denominator']}"
            self.stdout.write(f"{label}：{r['numerator']}{den} = {value}")
