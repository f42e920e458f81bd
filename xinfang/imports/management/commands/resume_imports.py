"""Re-queue every import that a crash or restart interrupted; each resumes after its last committed chunk."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xinfang.imports.models import BatchStatus, ImportBatch
from xinfang.imports.services import run_batch


class Command(BaseCommand):
    help = "继续导入被中断的批次（从最后一个已提交的分块之后继续）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="在本进程中直接导入，不排入后台任务")

    def handle(self, *args: Any, **options: Any) -> None:
        from xinfang.imports.tasks import run_import

        pending = ImportBatch.objects.filter(
            status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING, BatchStatus.FAILED]
        ).values_list("pk", flat=True)
        for pk in list(pending):
            if options["now"]:
                run_batch(pk)
            else:
                run_import.enqueue(pk)
            self.stdout.write(f"第{pk}批：已继续导入")
