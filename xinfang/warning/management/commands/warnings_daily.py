"""Run the hotspot detector for every petition bureau on one day (default: today), as the nightly task does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xinfang.warning.services import detect_all


class Command(BaseCommand):
    help = "风险预警：对各信访部门可查阅的信访事项运行热点检测"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="检测日期 YYYY-MM-DD，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"检测日期格式应为 YYYY-MM-DD：{options['date']}") from error
        self.stdout.write(f"{day}：生成预警 {detect_all(day)} 条")
