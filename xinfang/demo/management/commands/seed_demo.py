from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.demo.accounts import ACCOUNTS
from xinfang.demo.seed import DemoError, SeedResult, seed_demo
from xinfang.lifecycle.states import TERMINAL, State
from xinfang.org.models import Role


class Command(BaseCommand):
    help = (
        "写入演示数据：虚构的西地市（行政区划代码 9901xx）、各角色演示账号，以及约两百件经真实流程办理的信访件。"
        "数据库中已有演示数据时不做任何改动。仅供本机试用。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="在未开启 XINFANG_DEBUG 的数据库上也写入（演示账号的密码是公开的，切勿用于生产环境）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or getattr(settings, "TESTING", False) or options["force"]):
            raise CommandError(
                "演示数据含有密码公开的账号，只应写入本机试用的数据库（XINFANG_DEBUG=1，./dev start 已开启）；"
                "确需写入请加 --force。"
            )
        quiet = options["verbosity"] == 0
        try:
            result = seed_demo(progress=(lambda line: None) if quiet else self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        if result is None:
            if not quiet:
                self.stdout.write("数据库中已有演示数据（西地市信访局），未做任何改动。")
            return
        self.warn(result)
        if quiet:
            return
        self.summary(result)
        for number, code in result.portal_codes.items():
            self.stdout.write(
                f"网上查询演示：信访件编号 {number}，查询码 {code}（http://127.0.0.1:8000/public/track/）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计校验通过。用时 {result.seconds:.1f} 秒。"))

    def summary(self, result: SeedResult) -> None:
        write = self.stdout.write
        write("")
        write(f"机关 {result.organs} 个；工作人员 {result.staff} 名（演示账号 {result.accounts} 个）")
        write(f"信访件 {result.petitions} 件；案件 {result.cases} 件；审计事件 {result.events} 个")
        write(f"超期案件 {result.overdue} 件；期限提醒 {result.reminders} 条")
        write(f"请求期间届满、系统自动办结 {result.windows_closed} 件")
        write("")
        write("各状态案件数（★ 为该机关案件的终结状态）：")
        for state in State:
            mark = "★" if state in TERMINAL else " "
            write(f"  {result.states.get(state.value, 0):>4}  {mark} {state.label}（{state.value}）")
        write("")
        write("演示账号（仅供本机试用）：")
        for account in ACCOUNTS:
            roles = "、".join(Role(r).label for r in account.roles)
            write(f"  {account.username:<24}{account.password:<15}{account.organ}（{roles}）")

    def warn(self, result: SeedResult) -> None:
        for refusal in result.refusals:
            self.stderr.write(
                f"警告：第 {refusal.story} 件（{refusal.scenario}）在“{refusal.op}”一步被拒绝：{refusal.message}"
            )
