"""Issue 10, item 6: a holiday calendar change is an event, and moves the open clocks it touches, each move an
event too, in the same transaction. Expected dates are counted by hand from the rules of counting (a period
ending on a holiday ends on the next working day)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests.factories import at, build_city, register
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.deadlines import services
from xinfang.deadlines.models import CalendarYear
from xinfang.lifecycle.models import Case, Clock

pytestmark = pytest.mark.django_db

# Made up for the test: 2027-01-04, a Monday, becomes a holiday; Saturday 2027-01-09 a working day.
YEAR_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027-01-04,休,元旦\n2027-01-09,班,元旦\n"
ROOT = Path(__file__).resolve().parents[2]


def bureau_clock(case: Case) -> Clock:
    return case.clocks.get(rule="bureau_disposition")


def import_2027(tmp_path: Path) -> None:
    path = tmp_path / "2027.csv"
    path.write_text(YEAR_2027, encoding="utf-8")
    call_command("import_holidays", str(path), "--source", "测试通知", stdout=StringIO())


def test_importing_a_year_moves_the_clock_whose_last_day_becomes_a_holiday(tmp_path: Path) -> None:
    assert not CalendarYear.objects.filter(year=2027).exists()
    city = build_city()
    moving = register(city, when="2026-12-20")  # 15 days (Art. 22(1)): Mon 2027-01-04, counted by weekends
    still = register(city, when="2026-06-08")  # last day 2026-06-23: untouched by 2027
    clock = bureau_clock(moving)
    assert (clock.due, clock.legal_last_day, clock.provisional) == (dt.date(2027, 1, 4), dt.date(2027, 1, 4), True)
    unchanged = bureau_clock(still).legal_last_day

    with time_machine.travel(at("2026-12-28"), tick=False):
        import_2027(tmp_path)

    clock.refresh_from_db()
    # The 15th day is now a holiday: the period ends on the next working day, Tue 2027-01-05; no longer provisional.
    assert (clock.due, clock.legal_last_day, clock.provisional) == (dt.date(2027, 1, 4), dt.date(2027, 1, 5), False)
    assert bureau_clock(still).legal_last_day == unchanged

    change = Event.objects.get(action="change_calendar")
    assert change.payload["year"] == 2027 and change.payload["source"] == "测试通知"
    assert change.payload["holidays_added"] == ["2027-01-01", "2027-01-04"]
    assert change.payload["workdays_added"] == ["2027-01-09"]
    assert change.payload["loaded_before"] is False and change.payload["loaded"] is True
    assert "import_holidays" in change.actor_label

    moved = Event.objects.get(action="recompute_clock")  # one clock moved, one event; the other is untouched
    assert moved.seq > change.seq and moved.case_id == moving.pk and moved.petition_id == moving.petition_id
    assert moved.payload == {
        "rule": "bureau_disposition",
        "clock": clock.pk,
        "calendar_year": 2027,
        "calendar_event": change.seq,
        "old_due": "2027-01-04",
        "new_due": "2027-01-04",
        "old_legal_last_day": "2027-01-04",
        "new_legal_last_day": "2027-01-05",
        "old_provisional": True,
        "new_provisional": False,
        "overdue_cleared": False,
    }
    assert first_problem() is None


def test_an_overdue_mark_is_lifted_when_the_new_calendar_gives_the_organ_another_day(tmp_path: Path) -> None:
    city = build_city()
    case = register(city, when="2026-12-20")
    with time_machine.travel(at("2027-01-05", 9), tick=False):
        call_command("scan_deadlines", stdout=StringIO())  # counted by weekends, 2027-01-04 has passed
        case.refresh_from_db()
        assert case.overdue and bureau_clock(case).overdue
        import_2027(tmp_path)  # 2027-01-04 was a holiday after all: today is the last day, not a day late
    case.refresh_from_db()
    assert not case.overdue and not bureau_clock(case).overdue
    assert Event.objects.get(action="recompute_clock").payload["overdue_cleared"] is True
    assert first_problem() is None


def test_closed_clocks_keep_their_dates_and_a_change_that_moves_nothing_is_still_an_event(tmp_path: Path) -> None:
    city = build_city()
    case = register(city, when="2026-12-20")
    Clock.objects.filter(case=case).update(status="met")  # done before the calendar changed: history stays
    with time_machine.travel(at("2026-12-28"), tick=False):
        import_2027(tmp_path)
        import_2027(tmp_path)  # the same file again
    assert bureau_clock(case).legal_last_day == dt.date(2027, 1, 4)
    assert not Event.objects.filter(action="recompute_clock").exists()
    again = Event.objects.filter(action="change_calendar").order_by("seq").last()
    assert again is not None and again.payload["holidays_added"] == [] and again.payload["loaded_before"] is True


def test_the_admin_upload_and_the_admin_delete_recompute_as_the_administrator(admin_user: Any) -> None:
    city = build_city()
    case = register(city, when="2026-12-20")
    upload = SimpleUploadedFile("2027.csv", YEAR_2027.encode("utf-8"), content_type="text/csv")
    admin_client = Client()
    with time_machine.travel(at("2026-12-28"), tick=False):
        admin_client.force_login(admin_user)  # logged in on the day: a session from another day may have expired
        response = admin_client.post(
            "/admin/deadlines/calendaryear/add/",
            {
                "year": "2027",
                "source": "测试通知",
                "upload": upload,
                "days-TOTAL_FORMS": "0",
                "days-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302 and response["Location"] == "/admin/deadlines/calendaryear/"
        assert bureau_clock(case).legal_last_day == dt.date(2027, 1, 5)
        year = CalendarYear.objects.get(year=2027)
        assert admin_client.post(f"/admin/deadlines/calendaryear/{year.pk}/delete/", {"post": "yes"}).status_code == 302
    clock = bureau_clock(case)
    assert (clock.legal_last_day, clock.provisional) == (dt.date(2027, 1, 4), True)  # by weekends again
    changes = list(Event.objects.filter(action="change_calendar").order_by("seq"))
    assert [e.payload["loaded"] for e in changes] == [True, False]
    assert all(e.actor is not None and e.actor.is_superuser for e in changes)
    moves = Event.objects.filter(action="recompute_clock").order_by("seq")
    assert [e.payload["new_legal_last_day"] for e in moves] == ["2027-01-05", "2027-01-04"]
    assert first_problem() is None


def test_a_failing_recomputation_undoes_the_calendar_change(tmp_path: Path) -> None:
    city = build_city()
    register(city, when="2026-12-20")

    def broken(change: services.CalendarChange) -> None:
        raise RuntimeError("recomputation failed")

    services.CALENDAR_HOOKS.append(broken)
    try:
        with pytest.raises(RuntimeError):
            import_2027(tmp_path)
    finally:
        services.CALENDAR_HOOKS.remove(broken)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not Event.objects.filter(action__in=["change_calendar", "recompute_clock"]).exists()


def test_a_fresh_process_has_the_recomputation_registered() -> None:
    code = (
        "import django; django.setup(); from xinfang.deadlines.services import CALENDAR_HOOKS; "
        "print([h.__module__ + '.' + h.__name__ for h in CALENDAR_HOOKS])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "xinfang.settings", "XINFANG_TESTING": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "xinfang.lifecycle.clocks.recompute_for_calendar" in result.stdout
