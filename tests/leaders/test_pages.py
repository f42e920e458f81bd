"""Every leaders page renders for a leader with real records, in Chinese, without internal identifiers; forms
that post bad input answer with a message naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, register, staff
from xinfang.leaders import conference, services
from xinfang.leaders.models import ConferenceKind, FieldVisit
from xinfang.org.models import Role, Staff

pytestmark = pytest.mark.django_db


def _client(person: Staff) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_every_page_renders_with_records_and_bad_input_names_its_field() -> None:
    city = build_city()
    leader = staff(city.county_gov, Role.LEADER, name="张县长")
    with time_machine.travel(at("2026-03-02", 9), tick=False):
        case = register(city, city.county_housing, when="2026-03-02")
        lc = services.take_case(case, leader, steps="约见", target_date=dt.date(2026, 3, 30))
        reception = services.publish_reception(
            leader, leader=leader, day=dt.date(2026, 3, 9), starts=dt.time(9), ends=dt.time(11), place="县政府"
        )
        meeting = conference.record_conference(
            leader,
            kind=ConferenceKind.PLENARY,
            title="全体会议",
            held_on=dt.date(2026, 3, 2),
            members=[city.county_housing],
        )
        conference.add_agenda_item(meeting, leader, title="补偿款", case=case)
        report = conference.generate_report(leader, "daily", dt.date(2026, 3, 2))
        client = _client(leader)
        pages = [
            "/work/leaders/",
            "/work/leaders/organ/",
            f"/work/leaders/take/{case.pk}/",
            f"/work/leaders/cases/{lc.pk}/",
            "/work/leaders/receptions/",
            f"/work/leaders/receptions/{reception.pk}/",
            "/work/leaders/visits/",
            "/work/leaders/conferences/",
            f"/work/leaders/conferences/{meeting.pk}/",
            "/work/leaders/reports/",
            f"/work/leaders/reports/{report.pk}/",
        ]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "None" not in response.content.decode(), url
        assert "日报告（2026年03月02日）" in report.draft
        answer = client.post("/work/leaders/visits/", {"day": "", "place": "幸福村"}, follow=True).content.decode()
        assert "「下访日期」" in answer
        answer = client.post(
            "/work/leaders/visits/",
            {"day": "2026-03-02", "place": "幸福村", "cases": case.petition.number, "attendees": "村干部"},
            follow=True,
        ).content.decode()
        assert "已记录下访" in answer and list(FieldVisit.objects.get().cases.all()) == [case]
        answer = client.post(
            f"/work/leaders/conferences/{meeting.pk}/decisions/",
            {"text": "核实", "organ": "", "deadline": "2026-03-01"},
            follow=True,
        ).content.decode()
        assert "「落实单位」" in answer


def test_a_member_organ_that_may_not_read_a_linked_case_sees_that_one_is_linked_never_which() -> None:
    city = build_city()
    leader = staff(city.county_gov, Role.LEADER)
    case = register(city, city.county_housing, when="2026-03-02")
    meeting = conference.record_conference(
        leader,
        kind=ConferenceKind.DISPATCH,
        title="调度会议",
        held_on=dt.date(2026, 3, 2),
        members=[city.county_housing, city.county_land],
    )
    conference.add_agenda_item(meeting, leader, title="补偿款问题", case=case)
    mine = _client(leader).get(f"/work/leaders/conferences/{meeting.pk}/").content.decode()
    assert f"（信访件 {case.petition.number}）" in mine
    land = _client(staff(city.county_land, Role.HANDLER)).get(f"/work/leaders/conferences/{meeting.pk}/")
    page = land.content.decode()
    assert land.status_code == 200 and "补偿款问题（关联案件）" in page and case.petition.number not in page
    other = _client(staff(city.other_county_housing, Role.HANDLER)).get(f"/work/leaders/conferences/{meeting.pk}/")
    assert other.status_code == 404
