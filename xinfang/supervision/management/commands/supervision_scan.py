"""Flag supervision orders unanswered past their answer date, late feedback on recommendations and higher-level
assignments not reported back in time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xinfang.supervision.services import scan


class Command(BaseCommand):
    help = "标记逾期未答复的督办单和逾期未书面反馈的建议"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="检查的日期（默认今天），格式 2026-03-20")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as bad:
            raise CommandError("「--date」须为日期，如 2026-03-20") from bad
        orders, recs, assignments = scan(today)
        self.stdout.write(
            f"{today:%Y-%m-%d}：逾期未答复的督办单 {orders} 份，逾期未反馈的建议 {recs} 份，"
            f"逾期未报结的上级交办 {assignments} 件"
        )
