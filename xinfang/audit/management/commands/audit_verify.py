from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem


class Command(BaseCommand):
    help = "重新计算 SM3 事件链及其覆盖的信访件内容；发现篡改时以非零状态退出，并指出第一个被破坏的事件。"

    def handle(self, *args: Any, **options: Any) -> None:
        problem = first_problem()
        if problem is not None:
            raise CommandError(f"审计校验失败：{problem.message}", returncode=1)
        self.stdout.write(f"审计校验通过：{Event.objects.count()} 个事件，链条完整，覆盖的信访件内容未被改动。")
