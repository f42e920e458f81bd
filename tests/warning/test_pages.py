"""The risk board's pages: who may open them, one line per topic, the analyst's confirmation drafting the notice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, register, staff
from xinfang.documents.models import Document
from xinfang.org.models import Role, Staff
from xinfang.warning import services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)


def _client(person: Staff) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_board_lists_a_topic_once_and_only_for_supervisors_analysts_and_leaders() -> None:
    city = build_city()
    for n in range(5):
        register(
            city, when=(DAY - dt.timedelta(days=n)).isoformat(), request="幸福花园小区电梯停运", contact=f"138{n:08d}"
        )
    services.detect(city.bureau, DAY - dt.timedelta(days=1))
    services.detect(city.bureau, DAY)
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        page = _client(staff(city.bureau, Role.SUPERVISOR)).get("/work/warning/").content.decode()
        assert page.count(">幸福花园</a>") == 1
        assert _client(staff(city.bureau, Role.REGISTRAR)).get("/work/warning/").status_code == 403
        assert (
            _client(staff(city.county_bureau, Role.ANALYST)).get("/work/warning/").content.decode().count("幸福花园")
            == 0
        )  # another organ's alert


def test_the_analyst_confirms_on_the_page_and_the_notice_is_drafted() -> None:
    city = build_city()
    for n in range(4):
        register(
            city, when=(DAY - dt.timedelta(days=n)).isoformat(), request="幸福花园小区电梯停运", contact=f"138{n:08d}"
        )
    (alert,) = services.detect(city.bureau, DAY)
    client = _client(staff(city.bureau, Role.ANALYST, Role.HANDLER))
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        detail = client.get(f"/work/warning/{alert.pk}/").content.decode()
        assert "确认并起草预警提示函" in detail
        response = client.post(f"/work/warning/{alert.pk}/conclude/", {"action": "confirm", "reason": "呈上升态势"})
    assert response.status_code == 302
    assert Document.objects.filter(kind="warning_notice", organ=city.bureau).count() == 1
