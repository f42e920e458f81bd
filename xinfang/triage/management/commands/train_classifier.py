"""`train_classifier [--csv FILE] [--by USERNAME] [--no-eval]`: train the content-category model and activate it.

Without `--csv`, from the categories staff confirmed on closed cases (decisions recorded on suggestions).
The model is stored under var/models/vN/ with its version, date, metrics (held-out 20 %) and who trained it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.org.models import Staff
from xinfang.textmining.features import Message
from xinfang.triage.csvfiles import CsvError, read_rows, require_values
from xinfang.triage.selectors import confirmed_categories
from xinfang.triage.services import train_model


class Command(BaseCommand):
    help = "训练内容分类模型（来自已办结案件中工作人员确认的类别，或 CSV：id,title,body,label）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", help="训练数据 CSV：id,title,body,label（不给则用已办结案件）")
        parser.add_argument("--by", default="", help="训练人的用户名（记录在模型上）")
        parser.add_argument("--no-eval", action="store_true", help="不做留出集评估（更快）")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = None
        if options["by"]:
            staff = Staff.objects.select_related("organ").filter(user__username=options["by"]).first()
            if staff is None:
                raise CommandError(f"参数 --by：没有用户名为 {options['by']} 的工作人员", returncode=2)
        if options["csv"]:
            try:
                rows = read_rows(options["csv"], ("id", "title", "body", "label"))
                require_values(options["csv"], rows, "label")
            except CsvError as error:
                raise CommandError(str(error), returncode=2) from error
            pairs = [(Message(r["title"], r["body"]), r["label"]) for r in rows]
            source = f"CSV 文件 {options['csv']}"
        else:
            pairs = confirmed_categories()
            source = "已办结案件中确认的类别"
        if len({label for _, label in pairs}) < 2:
            raise CommandError(f"{source}：至少需要两个不同类别的训练数据（现有 {len(pairs)} 条）", returncode=2)
        record = train_model(
            [m for m, _ in pairs],
            [label for _, label in pairs],
            source=source,
            staff=staff,
            actor_label="" if staff else "命令行",
            evaluate=not options["no_eval"],
        )
        self.stdout.write(f"已训练并启用分类模型 v{record.version}：{record.n_train} 条；指标 {record.metrics}")
