"""Issue 10, item 6: each reminder the scan queues is an event in the chain, recorded once."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from tests.factories import at, build_city, register
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.lifecycle.models import Reminder

pytestmark = pytest.mark.django_db


def scan(day: str) -> None:
    with time_machine.travel(at(day, 9), tick=False):
        call_command("scan_deadlines", stdout=None)


@override_settings(XINFANG_REMINDER_DAYS=[3, 1])
def test_a_queued_reminder_is_an_event_with_rule_clock_days_before_and_due() -> None:
    city = build_city()
    case = register(city, when="2026-06-08")  # the bureau's 15 days (Art. 22(1)): last day Tue 2026-06-23
    scan("2026-06-19")  # four days ahead: nothing yet
    assert not Event.objects.filter(action="remind").exists()

    scan("2026-06-20")  # three days ahead
    reminder = Reminder.objects.get()
    event = Event.objects.get(action="remind")
    assert event.case_id == case.pk and event.petition_id == case.petition_id
    assert event.organ_id == city.bureau.pk and event.actor_label == "系统"
    assert event.payload == {
        "rule": "bureau_disposition",
        "clock": reminder.clock_id,
        "days_before": 3,
        "due": "2026-06-23",
    }

    scan("2026-06-20")  # the scan is run again: no second reminder, no second event
    assert Event.objects.filter(action="remind").count() == 1

    scan("2026-06-22")  # one day ahead
    assert sorted(Event.objects.filter(action="remind").values_list("payload__days_before", flat=True)) == [1, 3]
    assert Reminder.objects.count() == 2
    assert first_problem() is None
