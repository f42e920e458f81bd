"""Recompute the statistics rollups: a day range, the increment since the last run, or everything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.analytics.services import increment, rebuild, recompute


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{raw}") from exc


class Command(BaseCommand):
    help = "重算统计汇总：--from/--to 指定日期范围；--increment 只汇总上次以来的变化；不加参数则全部重算。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--increment", action="store_true")
        parser.add_argument("--today", help="统计截至日（默认今天；--check 默认为上次汇总的截至日）")
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务（db_worker）执行 --increment 或全部重算，立即返回"
        )
        parser.add_argument("--check", action="store_true", help="只核对：由事件重新推算，与已存的汇总比较，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else None

        def progress(done: int, total: int, note: str) -> None:
            self.stdout.write(f"[{done}/{total}] {note}")

        if options["enqueue"]:
            from xinfang.analytics.tasks import roll_up_increment, roll_up_rebuild

            chosen = roll_up_increment if options["increment"] else roll_up_rebuild
            result_id = chosen.enqueue().id
            self.stdout.write(
                f"已交给后台任务：{'增量汇总' if options['increment'] else '全部重算'}（任务 {result_id}）"
            )
            return
        if options["check"]:
            self._check(today, progress)
            return
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("--from 与 --to 须同时给出")
            start, end = _date(options["start"]), _date(options["end"])
            if end < start:
                raise CommandError("--to 不得早于 --from")
            result = recompute(start, end, today=today, progress=progress)
        elif options["increment"]:
            result = increment(today=today, progress=progress)
        else:
            result = rebuild(today=today, progress=progress)
        self.stdout.write(f"完成：{result.days}天，明细{result.facts}条，汇总{result.rollups}条")

    def _check(self, today: dt.date | None, progress: Any) -> None:
        from xinfang.analytics.check import check
        from xinfang.analytics.models import RollupState

        state = RollupState.objects.first()
        as_of = today or (state.as_of if state and state.as_of else None)
        if as_of is None:
            raise CommandError("尚未汇总：请先运行 analytics_rollup")
        result = check(as_of, progress=progress)
        for line in result.differences:
            self.stdout.write(line)
        summary = f"核对{result.days}天、日汇总{result.rollups}条、月汇总{result.months}个月（截至{as_of:%Y-%m-%d}）"
        if not result.agrees:
            raise CommandError(f"{summary}：与事件推算结果不一致")
        self.stdout.write(f"{summary}：与事件推算结果一致")
