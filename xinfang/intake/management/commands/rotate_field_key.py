"""Re-encrypt every encrypted field under the current key (the first of XINFANG_FIELD_KEY) and recompute indexes.

Rotation: put the new key first and keep the old one after it (``XINFANG_FIELD_KEY=new,old``), restart, run this
command, then drop the old key. Each batch is one transaction; rows already under the current key are skipped,
so an interrupted run is resumed by running it again.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.crypto.cipher import DecryptionError
from xinfang.crypto.fields import active_keyring
from xinfang.crypto.keys import KeyConfigError
from xinfang.crypto.rotation import encrypted_models, reencrypt


class Command(BaseCommand):
    help = "用当前密钥（XINFANG_FIELD_KEY 的第一个）重新加密全部加密字段，并重算盲索引；可中断后重跑"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="每批（一个事务）处理的行数，默认 500")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch 须为正整数")
        try:
            ring = active_keyring()
        except KeyConfigError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"当前密钥编号 {ring.current.key_id}；密钥列表共 {len(ring.keys)} 个")

        def progress(label: str, done: int, total: int) -> None:
            self.stdout.write(f"  {label}：{done}/{total}")

        for model in encrypted_models(apps.get_models()):
            try:
                tally = reencrypt(model, ring, batch=options["batch"], progress=progress)
            except DecryptionError as error:
                raise CommandError(f"无法解密，已停止（已完成的批次已保存，修正后重跑即可）：{error}") from None
            self.stdout.write(
                f"{model._meta.verbose_name}（{model._meta.label}）：共 {tally.rows} 行，重新加密 {tally.changed} 行"
                + (f"，{tally.raced} 行在此期间已被改写（已是当前密钥）" if tally.raced else "")
            )
        self.stdout.write(self.style.SUCCESS("完成：全部加密字段均已使用当前密钥。"))
