"""Import one year's official holiday arrangement from a simple CSV file, or reseed from the package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.deadlines.services import (
    CalendarFileError,
    import_year,
    parse_year_file,
    seed_from_package,
)

ACTOR_LABEL = "系统（import_holidays 命令）"


class Command(BaseCommand):
    help = (
        "导入一年的节假日安排。文件为 CSV：表头“日期,类型,名称”，类型为“休”（法定节假日）"
        "或“班”（调休工作日）。用 --from-package 从 chinese-calendar 包补齐其覆盖的所有年份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="年度文件路径，例如 docs/holidays-example.csv")
        parser.add_argument("--source", default="", help="来源，例如国务院办公厅通知的文号")
        parser.add_argument("--from-package", action="store_true", help="从 chinese-calendar 载入")
        parser.add_argument("--replace", action="store_true", help="与 --from-package 同用：覆盖已有年份")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["from_package"]:
            years = seed_from_package(replace=options["replace"], actor_label=ACTOR_LABEL)
            self.stdout.write(f"已载入 {len(years)} 个年份：{years[0]}–{years[-1]}" if years else "没有需要载入的年份")
            return
        if not options["file"]:
            raise CommandError("请给出年度文件路径，或使用 --from-package", returncode=2)
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}", returncode=2) from None
        try:
            year, entries = parse_year_file(text)
        except CalendarFileError as exc:
            raise CommandError(f"{path}：{exc}", returncode=2) from None
        import_year(year, entries, options["source"] or f"文件 {path.name}", actor_label=ACTOR_LABEL)
        holidays = sum(1 for e in entries if e.kind == "holiday")
        self.stdout.write(f"已导入 {year} 年：法定节假日 {holidays} 天，调休工作日 {len(entries) - holidays} 天")
