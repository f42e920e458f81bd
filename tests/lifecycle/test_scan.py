"""scan_deadlines marks exactly the overdue clocks and queues each reminder once, however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.factories import at, build_city, register
from xinfang.audit.models import Event
from xinfang.lifecycle.models import Clock, Reminder
from xinfang.lifecycle.tasks import deliver_reminders

pytestmark = pytest.mark.django_db


def scan(day: str) -> str:
    out = StringIO()
    with time_machine.travel(at(day, 9), tick=False):
        call_command("scan_deadlines", stdout=out)
    return out.getvalue()


def test_scan_twice_marks_and_queues_exactly_once() -> None:
    city = build_city()
    # Bureau disposition clocks (15 days) registered on different days, seen from June 20:
    late = [register(city, when=day) for day in ("2026-06-01", "2026-06-02")]  # due 06-16, 06-17: overdue
    soon3 = register(city, when="2026-06-08")  # due 06-23: 3 days ahead
    soon1 = register(city, when="2026-06-06")  # due 06-21 (Sunday; legal last day 06-22): 1 day ahead
    later = register(city, when="2026-06-19")  # due 07-04: nothing yet
    del later

    first = scan("2026-06-20")
    assert "标记超期 2 项；排队提醒 3 条" in first  # soon1 gets both its 3-day and 1-day reminders
    second = scan("2026-06-20")
    assert "标记超期 0 项；排队提醒 0 条" in second

    assert set(Clock.objects.filter(overdue=True).values_list("case_id", flat=True)) == {c.pk for c in late}
    assert Event.objects.filter(action="mark_overdue").count() == 2
    assert set(Reminder.objects.values_list("clock__case_id", "days_before")) == {
        (soon3.pk, 3),
        (soon1.pk, 3),
        (soon1.pk, 1),
    }
    tasks = DBTaskResult.objects.filter(task_path=deliver_reminders.module_path)
    assert tasks.count() == 2  # one task per reminder point, each carrying its reminders
    queued = sorted(i for task in tasks for i in task.args_kwargs["args"][0])
    assert queued == sorted(Reminder.objects.values_list("pk", flat=True))

    third = scan("2026-06-21")  # next day: soon3 now 2 days ahead, already reminded at 3
    assert "标记超期 0 项；排队提醒 0 条" in third
    fourth = scan("2026-06-22")  # soon3 one day ahead; soon1 due yesterday, legal last day today
    assert "标记超期 0 项；排队提醒 1 条" in fourth
    assert scan("2026-06-23").startswith("标记超期 1 项")  # soon1 is overdue after its legal last day


def test_reminder_task_delivers_each_reminder_once() -> None:
    city = build_city()
    register(city, when="2026-06-08")
    scan("2026-06-20")
    reminder = Reminder.objects.get()
    assert reminder.delivered_at is None
    assert deliver_reminders.call([reminder.pk]) == 1
    assert deliver_reminders.call([reminder.pk]) == 0
    reminder.refresh_from_db()
    assert reminder.delivered_at is not None


def test_overdue_findings_cite_the_article_the_duty_comes_from() -> None:
    """A bureau that misses its disposition breaches Art. 43; an organ that misses the notice, Art. 44(3)."""
    city = build_city()
    register(city, when="2026-06-01")  # at the city bureau: disposition due 06-16
    register(city, city.county_housing, when="2026-06-01")  # a department: the receipt notice due 06-16
    scan("2026-06-20")
    bases = dict(Event.objects.filter(action="mark_overdue").values_list("payload__rule", "basis"))
    assert bases == {
        "bureau_disposition": "《信访工作条例》第四十三条",
        "receipt_notice": "《信访工作条例》第四十四条第三项",
    }
