from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinfang.lifecycle.scan import scan_deadlines


class Command(BaseCommand):
    help = "扫描所有期限：标记超期、排队发送到期提醒（每个提醒只发一次）、办结届满未申请复查（复核）的事项。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = scan_deadlines()
        self.stdout.write(
            f"标记超期 {result.overdue_marked} 项；排队提醒 {result.reminders_queued} 条；"
            f"届满办结 {result.windows_closed} 件；异议期间届满 {result.windows_lapsed} 项"
        )
