"""The demo of leaders at work (issue 17), written through `xinfang.leaders` services: leader cases of the
district leader (one closed as 化解 after progress notes, one whose progress is due), a reception day with two
petitions registered at it and one still to come on the portal, an appointment, a field visit, a 交办会议 whose
task went overdue, and a weekly-analysis draft from the demo's own figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinfang.intake.services import PetitionInput
from xinfang.leaders import conference, services
from xinfang.leaders.models import ConferenceKind, Outcome
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import NON_TERMINAL
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ

from .accounts import DISTRICT_HOUSING
from .city import DemoCity

DAY = dt.timedelta(days=1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _open_cases(city: DemoCity, before: dt.datetime) -> list[Case]:
    leader = city.accounts["leader"]
    housing = city.by_name(DISTRICT_HOUSING)
    return list(
        readable_cases(leader)
        .filter(organ=housing, state__in=NON_TERMINAL, leader_case=False, updated_at__lt=before)
        .exclude(confidential_accusation=True)
        .order_by("received_at", "pk")[:3]
    )


def book_for_portal(codes: dict[str, str], now: dt.datetime) -> None:
    """An appointment for the petition whose demo query code is DEMO-2027, so the portal's progress page shows it."""
    number = next((n for n, code in codes.items() if code == "DEMO-2027"), None)
    case = (
        Case.objects.filter(petition__number=number, state__in=NON_TERMINAL).select_related("organ").last()
        if number
        else None
    )
    leaders = services.leaders_for(case) if case is not None else []
    if case is None or not leaders:
        return
    leader = leaders[-1]  # the nearest: the handling organ's own leader, else the one above it
    when = _at(timezone.localdate(now) + 2 * DAY, 15)
    place = f"{case.organ.name}信访接待室"
    services.book_appointment(case, leader, leader=leader, starts_at=when, place=place, now=now)


def seed_leaders(city: DemoCity, now: dt.datetime) -> None:
    leader = city.accounts["leader"]
    registrar = city.accounts["district_gov_registrar"]
    today = timezone.localdate(now)
    first, second, third = _open_cases(city, now - 20 * DAY)

    # 领导包案: taken three weeks ago, two progress notes, closed as 化解.
    taken = _at(today - 20 * DAY, 10)
    steps = "约见信访人听取诉求\n协调区住建局核实补偿标准\n督促兑现补偿款"
    done = services.take_case(first, leader, steps=steps, target_date=today, now=taken)
    services.record_progress(done, leader, "已约见信访人，听取诉求并现场答复。", now=_at(today - 14 * DAY, 16))
    services.record_progress(done, leader, "区住建局已核实补偿标准，补偿款正在审批。", now=_at(today - 7 * DAY, 16))
    services.close_case(done, leader, Outcome.RESOLVED, "补偿款已兑现，信访人表示满意。", now=_at(today - 2 * DAY, 11))
    # Another taken ten days ago with no progress yet: due now.
    services.take_case(
        second, leader, steps="约见信访人\n组织相关部门会商", target_date=today + 20 * DAY, now=_at(today - 10 * DAY, 9)
    )

    # A reception day five days ago with two petitions registered at it; the next one published for the portal.
    held = services.publish_reception(
        registrar,
        leader=leader,
        day=today - 5 * DAY,
        starts=dt.time(9),
        ends=dt.time(11, 30),
        place="东城区人民来访接待中心",
        topics="房屋征收补偿、物业管理",
        now=_at(today - 12 * DAY, 9),
    )
    for name, request in (
        ("钱某某", "请求协调解决小区地下车库长期积水问题"),
        ("孙某某", "反映旧城改造项目补偿款发放进度缓慢"),
    ):
        data = PetitionInput(
            channel="",
            request=request,
            region_code=registrar.organ.region_code,
            received_at=_at(today - 5 * DAY, 10),
            name=name,
            address="东城区幸福路",
            contact="13900000000",
        )
        services.register_at_reception(held, registrar, data, now=_at(today - 5 * DAY, 10, 30))
    services.publish_reception(
        registrar,
        leader=leader,
        day=today + 3 * DAY,
        starts=dt.time(9),
        ends=dt.time(11, 30),
        place="东城区人民来访接待中心",
        topics="城市建设、征地拆迁",
        now=_at(today - DAY, 9),
    )

    # 约访 of the second case's petitioner, and a field visit with the third case.
    services.book_appointment(
        second, registrar, leader=leader, starts_at=_at(today + 3 * DAY, 10), place="东城区人民来访接待中心", now=now
    )
    services.record_field_visit(
        leader,
        day=today - 8 * DAY,
        place="东城区幸福花园小区",
        attendees="区住建局、街道办事处、社区负责同志",
        cases=[third],
        outcome="现场查看积水点位，明确由区住建局牵头限期整改。",
        now=_at(today - 8 * DAY, 17),
    )

    # The district's joint conference: a 交办会议 whose task is now overdue, and one still running.
    members = list(Organ.objects.filter(path__startswith=leader.organ.scope_path).order_by("path")[:6])
    housing = city.by_name(DISTRICT_HOUSING)
    if housing not in members:
        members.append(housing)
    meeting = conference.record_conference(
        leader,
        kind=ConferenceKind.ASSIGNMENT,
        title="东城区信访工作联席会议交办会议",
        held_on=today - 15 * DAY,
        members=members,
        now=_at(today - 15 * DAY, 15),
    )
    item = conference.add_agenda_item(
        meeting, leader, title="旧城改造补偿款发放问题", case=third, now=_at(today - 15 * DAY, 15)
    )
    conference.add_decision(
        meeting,
        leader,
        text="核实旧城改造项目补偿款发放情况，报告联席会议办公室",
        organ=housing,
        deadline=today - 5 * DAY,
        item=item,
        now=_at(today - 15 * DAY, 16),
    )
    conference.add_decision(
        meeting,
        leader,
        text="排查辖区物业管理矛盾纠纷，形成清单",
        organ=housing,
        deadline=today + 10 * DAY,
        now=_at(today - 15 * DAY, 16),
    )
    conference.generate_report(leader, "weekly", today - DAY, now=now)
