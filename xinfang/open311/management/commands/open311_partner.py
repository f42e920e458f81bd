"""Issue an Open311 key to a partner system of an organ; the key is printed once and stored only as a hash."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinfang.open311.services import create_partner
from xinfang.org.models import Organ


class Command(BaseCommand):
    help = "为合作系统发放 Open311 密钥（只显示一次，系统只保存其摘要）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="合作系统名称，如 西地市12345热线")
        parser.add_argument("organ", help="所属机关名称")
        parser.add_argument("--hourly-limit", type=int, default=600, help="每小时调用上限")

    def handle(self, *args: Any, **options: Any) -> None:
        organ = Organ.objects.filter(name=options["organ"]).first()
        if organ is None:
            raise CommandError(f"机关不存在：{options['organ']}")
        partner, key = create_partner(name=options["name"], organ=organ, hourly_limit=options["hourly_limit"])
        self.stdout.write(f"已为「{partner.name}」（{organ.name}）发放密钥，请妥善转交，系统不再显示：\n{key}")
