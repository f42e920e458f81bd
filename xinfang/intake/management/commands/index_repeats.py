"""Write the repeat keys (`RepeatKey`) of petitions that have none, or of every petition with --rebuild."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xinfang.intake.repeat_keys import index_petitions


class Command(BaseCommand):
    help = "为信访件生成重复件检索键：默认只补缺少检索键的信访件；--rebuild 全部重新生成（恢复数据库后使用）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="全部信访件重新生成检索键")
        parser.add_argument("--chunk", type=int, default=2000, help="每个事务处理的信访件数（默认 2000）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"[{done}/{total}] 已生成检索键，用时 {time.monotonic() - started:.0f} 秒")

        done = index_petitions(rebuild=options["rebuild"], chunk=max(1, options["chunk"]), progress=progress)
        self.stdout.write(self.style.SUCCESS(f"完成：{done} 件信访件已生成重复件检索键。"))
