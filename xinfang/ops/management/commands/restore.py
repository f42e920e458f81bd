from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.audit.verify import first_problem
from xinfang.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到新的空数据库（DATABASE_URL），核对清单中的行数和事件链链头，再校验整个事件链。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="backup 命令写出的备份文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["file"]))
        except BackupError as error:
            raise CommandError(f"恢复失败：{error}") from error
        problem = first_problem()
        if problem is not None:
            raise CommandError(f"恢复后审计校验失败：{problem.message}")
        self.stdout.write(
            f"已恢复：{manifest.counts['intake_petition']} 件信访件、{manifest.chain_seq} 个事件，"
            "行数与清单一致，审计校验通过。"
        )
