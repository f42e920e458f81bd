"""Hotspot alerts on hand-written petitions: expectations counted by hand from the data below."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import City, at, build_city, register, staff
from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.warning import services
from xinfang.warning.models import Alert

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)
PLACE = "幸福花园小区"


def _day(offset: int) -> str:
    return (DAY - dt.timedelta(days=offset)).isoformat()


def _quiet_month(city: City) -> None:
    for n, offset in enumerate((10, 15, 20, 25, 30)):
        register(city, when=_day(offset), request=f"请求修复第{n}号路灯", contact=f"1390000000{n}")


def _burst(city: City, contacts: list[str]) -> list[Case]:
    return [
        register(city, when=_day(n), request=f"{PLACE}地下车库长期积水，请求整治", contact=contact)
        for n, contact in enumerate(contacts)
    ]


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person.user)  # type: ignore[attr-defined]
    return client


def test_three_people_writing_about_one_estate_in_a_week_after_a_quiet_month_raise_an_alert() -> None:
    city = build_city()
    _quiet_month(city)
    burst = _burst(city, ["13800000001", "13800000002", "13800000003", "13800000001"])
    alerts = services.detect(city.bureau, DAY, now=at(DAY.isoformat(), 23))
    assert [(a.topic, a.count, a.persons, a.baseline) for a in alerts] == [("幸福花园", 4, 3, 0)]
    assert set(alerts[0].cases.all()) == set(burst)
    assert (alerts[0].first_day, alerts[0].last_day) == (DAY - dt.timedelta(days=3), DAY)
    assert Event.objects.filter(action="raise_warning", payload__topic="幸福花园").count() == 1


def test_one_person_writing_five_times_raises_nothing() -> None:
    city = build_city()
    _quiet_month(city)
    _burst(city, ["13800000001"] * 5)
    assert services.detect(city.bureau, DAY) == []


def test_moving_the_clock_ages_the_alert_out() -> None:
    city = build_city()
    _quiet_month(city)
    _burst(city, ["13800000001", "13800000002", "13800000003", "13800000004"])
    services.detect(city.bureau, DAY, now=at(DAY.isoformat(), 23))
    analyst = _client(staff(city.bureau, Role.ANALYST))
    with time_machine.travel(at(DAY.isoformat(), 23), tick=False):
        assert "幸福花园" in analyst.get("/work/warning/").content.decode()
    later = DAY + dt.timedelta(days=7)  # the window of 7 days (detector.yaml) no longer covers the alert's day
    with time_machine.travel(at(later.isoformat(), 9), tick=False):
        assert "幸福花园" not in analyst.get("/work/warning/").content.decode()
        assert services.detect(city.bureau, later) == []
    assert Alert.objects.count() == 1
