"""A confidential accusation never reaches an alert, its drill-down or its count (Art. 30(3))."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, register, staff
from xinfang.intake.services import AccusedInput
from xinfang.lifecycle.visibility import can_read, can_view
from xinfang.org.models import Role
from xinfang.warning import services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)
SECRET = "举报幸福花园小区物业经理挪用专项维修资金"


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person.user)  # type: ignore[attr-defined]
    return client


def test_the_page_shows_nothing_of_a_confidential_accusation_to_an_excluded_user() -> None:
    city = build_city()
    plain = [
        register(
            city,
            when=(DAY - dt.timedelta(days=n)).isoformat(),
            request="幸福花园小区电梯停运",
            contact=f"1380000000{n}",
        )
        for n in range(4)
    ]
    secret = [
        register(
            city,
            when=(DAY - dt.timedelta(days=n)).isoformat(),
            request=SECRET,
            contact=f"1370000000{n}",
            accusation=True,
            accused=[AccusedInput(person_name="张某某", person_organ_id=city.gov.pk)],
        )
        for n in range(4)
    ]
    alerts = services.detect(city.bureau, DAY, now=at(DAY.isoformat(), 23))
    assert [(a.topic, a.count, a.persons) for a in alerts] == [("幸福花园", 4, 4)]  # the accusations are not counted
    # The city government's leader oversees the bureau and sees its board, but the accused person works there.
    leader = staff(city.gov, Role.LEADER)
    assert not any(can_view(leader, case) for case in secret)
    client = _client(leader)
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        pages = (
            client.get("/work/warning/").content.decode()
            + client.get(f"/work/warning/{alerts[0].pk}/").content.decode()
        )
    assert "幸福花园" in pages
    for case in secret:
        assert case.petition.number not in pages
    assert "挪用" not in pages and "举报" not in pages
    assert all(case.petition.number in pages for case in plain if can_read(leader, case))
