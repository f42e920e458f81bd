from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.ops.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "在线备份整个数据库（SQLite 在线备份；PostgreSQL 用 pg_dump），并写出清单（行数、事件链链头、文件 SM3）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="备份文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            manifest = backup(out)
        except BackupError as error:
            raise CommandError(f"备份失败：{error}") from error
        self.stdout.write(
            f"已备份到 {out}（清单 {manifest_path(out).name}）："
            f"{manifest.counts['intake_petition']} 件信访件，{manifest.chain_seq} 个事件，SM3 {manifest.sm3[:16]}…"
        )
