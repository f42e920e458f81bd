"""The warning side of the demo: a problem at one estate (锦绣家园, invented) that grows over the last ten days,
registered at the city bureau and transferred to 东城区住房和城乡建设局; the nightly detection flags it, the
analyst confirms it, the bureau's head signs and the analyst issues the 预警提示函, whose reply period is now
running. A second, smaller topic with two collective visits (翠湖花园) is a weak signal left for the analyst.
All names, addresses and numbers are invented."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinfang.documents import services as documents
from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle.engine import perform
from xinfang.org.models import Role
from xinfang.warning import services as warning
from xinfang.warning.models import Alert

from .accounts import CITY_BUREAU, DISTRICT_HOUSING
from .city import DemoCity

REGION = "990102"  # 东城区
GROWING = (  # (days before today, name, request)
    (9, "周海燕", "锦绣家园小区地下车库渗水，多次找物业未修"),
    (6, "孙立伟", "锦绣家园二期电梯经常停运，老人上下楼困难"),
    (4, "钱玉芬", "锦绣家园小区电梯停运，物业不作为，请求督促维修"),
    (3, "吴国强", "锦绣家园电梯维修基金使用不公开，要求公示"),
    (2, "郑晓红", "锦绣家园小区电梯又停了，请相关部门尽快处理"),
    (1, "冯志刚", "锦绣家园小区物业长期不履行维修义务，电梯、车库问题无人管"),
    (0, "陈美玲", "锦绣家园电梯停运一周，孕妇老人出行困难，请求尽快解决"),
)
RISING = (  # (days before today, name, request, collective headcount)
    (3, "何建平", "翠湖花园小区门前道路施工围挡半年未拆，业主集体反映", 15),
    (1, "罗桂英", "翠湖花园门口围挡占道，学生上学不安全，业主集体来访", 20),
    (0, "高文斌", "翠湖花园小区门前围挡何时拆除", None),
)


def _petition(city: DemoCity, when: dt.datetime, n: int, name: str, request: str, headcount: int | None) -> None:
    bureau, housing = city.by_name(CITY_BUREAU), city.by_name(DISTRICT_HOUSING)
    data = PetitionInput(
        channel="visit" if headcount else "letter",
        request=request,
        region_code=REGION,
        received_at=when,
        name=name,
        address=f"西地市东城区和平路{20 + n}号",
        contact=f"1390990{n:04d}",
        facts="多次向物业和社区反映，至今没有解决。",
        reasons="影响业主正常生活和出行安全。",
        collective=headcount is not None,
        headcount=headcount,
    )
    case = register_petition(data, organ=bureau, actor=city.who(bureau, Role.REGISTRAR), now=when)
    officer = city.who(bureau, Role.TRIAGE_OFFICER)
    perform(case, "triage", officer, {"category": "grievance"}, now=when + dt.timedelta(hours=1))
    perform(case, "transfer", officer, {"target_organ": housing}, now=when + dt.timedelta(hours=2))


def seed_warning(city: DemoCity, now: dt.datetime) -> Alert | None:
    """Add the petitions, run the day's detection and issue the notice of the growing topic; return its alert."""
    today = timezone.localdate(now)
    morning = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    for n, (ago, name, request) in enumerate(GROWING):
        _petition(city, min(morning - dt.timedelta(days=ago), now), n, name, request, None)
    for n, (ago, name, request, headcount) in enumerate(RISING, start=len(GROWING)):
        _petition(city, min(morning - dt.timedelta(days=ago), now), n, name, request, headcount)
    warning.detect_all(today)
    alert = Alert.objects.filter(organ__name=CITY_BUREAU, day=today, topic="锦绣家园").first()
    if alert is None:
        return None
    analyst = city.accounts["analyst"]
    notice = warning.confirm(alert, analyst, "同一小区一周内多人反映电梯停运，呈上升态势", now=now)
    documents.approve(notice, city.who(city.by_name(CITY_BUREAU), Role.APPROVER), now=now)
    alert.refresh_from_db()
    return warning.issue_notice(alert, analyst, now=now)
