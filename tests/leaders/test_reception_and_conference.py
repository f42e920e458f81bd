"""Receptions (接访、约访、下访) and the joint conference: the published schedule and the petitioner's appointment
on the portal, petitions registered at a reception with the channel 领导接访 and counted, decisions in the assigned
organ's queue and listed once overdue (moving clock), the weekly analysis drafted from real figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, register, staff
from xinfang.audit.models import Event
from xinfang.intake.models import Channel
from xinfang.intake.services import PetitionInput
from xinfang.leaders import conference, selectors, services
from xinfang.leaders.models import AppointmentStatus, ConferenceKind
from xinfang.org.models import Role, Staff
from xinfang.portal.services import issue_query_code

pytestmark = pytest.mark.django_db


def _client(person: Staff) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_portal_shows_the_published_schedule_and_the_petitioners_appointment() -> None:
    city = build_city()
    leader = staff(city.county_gov, Role.LEADER, name="张县长")
    with time_machine.travel(at("2026-03-02", 9), tick=False):
        services.publish_reception(
            leader,
            leader=leader,
            day=dt.date(2026, 3, 10),
            starts=dt.time(9),
            ends=dt.time(11, 30),
            place="甲县信访接待中心",
            topics="征地拆迁、房屋补偿",
        )
        case = register(city, city.county_housing, when="2026-03-02")
        clerk = city.who(city.county_housing, Role.REGISTRAR)
        code = issue_query_code(case, clerk)
        appointment = services.book_appointment(
            case, clerk, leader=leader, starts_at=at("2026-03-10", 10), place="甲县信访接待中心"
        )
        organs = Client().get("/public/organs/").content.decode()
        assert "领导接访日安排" in organs and "张县长" in organs and "征地拆迁、房屋补偿" in organs
        client = Client()
        client.post("/public/track/", {"number": case.petition.number, "code": code})
        page = client.get(f"/public/track/{case.petition.number}/").content.decode()
        assert 'data-testid="appointments"' in page and "2026年3月10日 10:00" in page and "已预约" in page
        with pytest.raises(services.Refused, match="约访领导"):
            services.book_appointment(
                case, clerk, leader=staff(city.other_county_gov, Role.LEADER), starts_at=at("2026-03-11"), place="x"
            )
        with pytest.raises(services.Refused, match="约访时间未到"):
            services.mark_appointment(appointment, clerk, AppointmentStatus.NO_SHOW)
    with time_machine.travel(at("2026-03-10", 12), tick=False):
        services.mark_appointment(appointment, clerk, AppointmentStatus.NO_SHOW)
        new = services.reschedule(appointment, clerk, starts_at=at("2026-03-17", 10), place="")
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.RESCHEDULED and new.replaces == appointment
        page = client.get(f"/public/track/{case.petition.number}/").content.decode()
        assert "已改期" in page and "2026年3月17日 10:00" in page
    actions = set(Event.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"book_appointment", "mark_appointment"} <= actions


def test_petitions_registered_at_a_reception_carry_the_channel_and_are_counted() -> None:
    city = build_city()
    leader = staff(city.county_gov, Role.LEADER)
    registrar = staff(city.county_gov, Role.REGISTRAR)
    with time_machine.travel(at("2026-03-10", 9), tick=False):
        reception = services.publish_reception(
            registrar, leader=leader, day=dt.date(2026, 3, 10), starts=dt.time(9), ends=dt.time(12), place="县政府"
        )
        for name in ("李某", "赵某"):
            data = PetitionInput(channel="", request="请求解决拖欠工资", region_code="990102", name=name)
            services.register_at_reception(reception, registrar, data)
    assert {p.channel for p in reception.petitions.all()} == {Channel.LEADER_RECEPTION}
    counts = selectors.reception_counts(leader, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert (counts.receptions, counts.petitions, counts.concluded) == (1, 2, 0)
    page = _client(leader).get(f"/work/leaders/receptions/{reception.pk}/").content.decode()
    assert page.count("请求解决拖欠工资") == 2
    with pytest.raises(services.Refused, match="结束时间"):
        services.publish_reception(
            registrar, leader=leader, day=dt.date(2026, 3, 11), starts=dt.time(12), ends=dt.time(9), place="县政府"
        )


def test_a_decision_shows_in_the_assigned_organs_queue_and_is_listed_once_overdue() -> None:
    city = build_city()
    convener = staff(city.county_gov, Role.LEADER)
    with time_machine.travel(at("2026-03-02", 15), tick=False):
        meeting = conference.record_conference(
            convener,
            kind=ConferenceKind.ASSIGNMENT,
            title="甲县信访工作联席会议交办会",
            held_on=dt.date(2026, 3, 2),
            members=[city.county_housing, city.county_land],
        )
        item = conference.add_agenda_item(meeting, convener, title="幸福花园补偿款")
        decision = conference.add_decision(
            meeting,
            convener,
            text="核实补偿款发放情况并报告",
            organ=city.county_housing,
            deadline=dt.date(2026, 3, 9),
            item=item,
        )
        with pytest.raises(services.Refused, match="落实单位"):
            conference.add_decision(
                meeting, convener, text="x", organ=city.other_county_housing, deadline=dt.date(2026, 3, 9)
            )
    housing = staff(city.county_housing, Role.HANDLER)
    with time_machine.travel(at("2026-03-05", 9), tick=False):
        home = _client(housing).get("/work/").content.decode()
        assert "核实补偿款发放情况并报告" in home and "2026-03-09" in home and "已逾期" not in home
        assert not selectors.overdue_decisions(convener, dt.date(2026, 3, 5)).exists()
        assert "核实补偿款" not in _client(staff(city.county_land, Role.HANDLER)).get("/work/").content.decode()
    with time_machine.travel(at("2026-03-10", 9), tick=False):
        assert list(selectors.overdue_decisions(convener, dt.date(2026, 3, 10))) == [decision]
        page = _client(convener).get("/work/leaders/conferences/").content.decode()
        overdue = page.split('data-testid="overdue-decisions"')[1].split("</table>")[0]
        assert "核实补偿款发放情况并报告" in overdue and "已逾期" in overdue
        _client(housing).post(f"/work/leaders/decisions/{decision.pk}/done/", {"report": "已发放"})
    assert not selectors.overdue_decisions(convener, dt.date(2026, 3, 10)).exists()


def test_the_weekly_analysis_is_drafted_from_real_figures() -> None:
    city = build_city()
    analyst = staff(city.county_gov, Role.ANALYST)
    for day in ("2026-03-03", "2026-03-05", "2026-03-06"):
        register(city, city.county_housing, when=day)
    register(city, city.county_housing, when="2026-02-20")  # before the week
    with time_machine.travel(at("2026-03-08", 18), tick=False):
        report = conference.generate_report(analyst, "weekly", dt.date(2026, 3, 8))
    assert (report.start, report.end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert report.figures["petitions"] == 3
    assert "本期收到信访件3件" in report.draft and "所辖范围内尚在办理的案件4件" in report.draft
    assert "周分析（2026年03月02日至2026年03月08日）" in report.draft
    with time_machine.travel(at("2026-03-09", 9), tick=False):
        response = _client(analyst).post(
            f"/work/leaders/reports/{report.pk}/", {"text": report.draft + "\n研判：平稳。"}
        )
        assert response.status_code == 302
    report.refresh_from_db()
    assert report.filed_at is not None and report.text.endswith("研判：平稳。")
