"""Regenerate docs/rules-table.md from the rule files; --check fails when the committed table is stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.rules import default_rulebook
from xinfang.rules.table import render_markdown

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "rules-table.md"


class Command(BaseCommand):
    help = "根据规则文件重新生成 docs/rules-table.md；--check 时若文件过期则失败。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--output", default=str(DEFAULT_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        text = render_markdown(default_rulebook())
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} 已过期：请运行 python manage.py rules_table")
            self.stdout.write(f"{path} 与规则文件一致")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 {path}")
