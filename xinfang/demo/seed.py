"""`seed_demo`: the fictional city, its accounts and about two hundred petitions, in one transaction."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.deadlines.selectors import work_calendar
from xinfang.grid.models import Area
from xinfang.intake.models import Petition
from xinfang.lifecycle.models import Case, Reminder
from xinfang.lifecycle.scan import scan_deadlines
from xinfang.lifecycle.states import State
from xinfang.org.models import Organ, Staff

from .accounts import ACCOUNTS, CITY_BUREAU
from .analytics import seed_statistics
from .city import CITY_CODE, build_city, create_staff
from .desk import seed_desk
from .director import Director, Refusal
from .grid import seed_grid
from .leaders import book_for_portal, seed_leaders
from .mediation import seed_bodies, seed_lawyers
from .plan import Planner
from .portal import seed_portal
from .supervision import seed_supervision
from .systems import seed_systems
from .triage import seed_triage
from .warning import seed_warning

SEED = 20260501  # the same demo every time (relative to today)


class DemoError(Exception):
    """The demo could not be written; nothing was."""


@dataclass
class SeedResult:
    organs: int = 0
    accounts: int = 0
    staff: int = 0
    petitions: int = 0
    cases: int = 0
    events: int = 0
    overdue: int = 0
    reminders: int = 0
    windows_closed: int = 0
    states: dict[str, int] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    portal_codes: dict[str, str] = field(default_factory=dict)  # petition number -> public demo query code
    seconds: float = 0.0


def demo_exists() -> bool:
    return Organ.objects.filter(name=CITY_BUREAU, region_code=CITY_CODE).exists()


def _check_accounts() -> None:
    names = [a.username for a in ACCOUNTS]
    taken = list(
        get_user_model().objects.filter(username__in=names, staff__isnull=False).values_list("username", flat=True)
    )
    if taken:
        raise DemoError(f"账号 {'、'.join(sorted(taken))} 已存在且已属于某个机关，未写入任何演示数据")


def seed_demo(progress: Callable[[str], None] = lambda line: None, now: dt.datetime | None = None) -> SeedResult | None:
    """Create the demo, or return None if it is already there. ``now`` is "today" (any date will do)."""
    if demo_exists():
        return None
    _check_accounts()
    started = time.monotonic()
    now = now or timezone.now()
    with transaction.atomic():
        city = build_city()
        progress(f"已创建机关 {len(city.organs)} 个（西地市及东城区、西山县、南湖县）")
        staff = create_staff(city, random.Random(SEED))
        progress(f"已创建工作人员 {len(staff)} 名，其中可登录的演示账号 {len(city.accounts)} 个")
        seed_bodies(city)
        stories = Planner(city, now, work_calendar(), SEED).stories()
        progress(f"正在按时间顺序办理 {len(stories)} 件信访事项（含每日期限扫描）……")
        director = Director(city, now, progress)
        director.run(stories)
        director.close_lapsed_windows(now)
        seed_systems(city, now)
        seed_leaders(city, now)
        seed_supervision(city, now)
        reports = seed_grid(city, now, random.Random(SEED))
        progress(f"已创建网格 {Area.objects.count()} 个、网格上报矛盾纠纷 {reports} 件")
        consultations = seed_lawyers(city, now, random.Random(SEED))
        progress(f"已登记律师值班咨询 {consultations} 次")
        seed_triage(now)
        progress("已用演示信访件训练内容分类模型（甄别分类时给出建议）")
        scan = scan_deadlines(now=now)
        portal_codes = seed_portal(list(city.organs.values()), now)
        book_for_portal(portal_codes, now)
        seed_desk(city, now)
        seed_warning(city, now)
        progress(seed_statistics(now))

        organs = list(city.organs.values())
        cases = Case.objects.filter(organ__in=organs)
        counts = dict(cases.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
        result = SeedResult(
            organs=len(organs),
            accounts=len(city.accounts),
            staff=Staff.objects.filter(organ__in=organs).count(),
            petitions=Petition.objects.filter(receiving_organ__in=organs).count(),
            cases=cases.count(),
            events=Event.objects.count(),
            overdue=cases.filter(overdue=True).count(),
            reminders=Reminder.objects.filter(clock__case__organ__in=organs).count(),
            windows_closed=director.windows_closed + scan.windows_closed,
            states={s.value: counts.get(s.value, 0) for s in State},
            refusals=director.refusals,
            portal_codes=portal_codes,
        )
        problem = first_problem()
        if problem is not None:  # roll everything back rather than leave a chain that does not verify
            raise DemoError(f"审计校验失败，演示数据未写入：{problem.message}")
    result.seconds = time.monotonic() - started
    return result
