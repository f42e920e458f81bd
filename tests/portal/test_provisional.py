"""Issue 10, item 6: a last day in a year without a loaded holiday arrangement is marked on the portal."""

from __future__ import annotations

import pytest
import time_machine

from tests.factories import at, build_city
from tests.portal.helpers import track
from tests.portal.test_progress import submitted
from xinfang.deadlines.models import CalendarYear

pytestmark = pytest.mark.django_db
NOTE = "暂按周末推算，国家公布该年节假日安排后可能调整"


def test_a_last_day_in_a_year_without_holidays_is_marked_as_provisional() -> None:
    assert not CalendarYear.objects.filter(year=2027).exists()  # the premise: 2027 is not loaded
    city = build_city()
    client, number, code = submitted(city, "2026-12-20")
    with time_machine.travel(at("2026-12-21"), tick=False):
        track(client, number, code)
        html = client.get(f"/public/track/{number}/").content.decode()
    # 2026-12-20 + 15 days = 2027-01-04, a Monday; 2027's holidays are unknown, so it is counted by weekends.
    assert "受理告知最迟 <strong>2027年1月4日</strong>" in html
    assert NOTE in html


def test_a_last_day_in_a_loaded_year_is_not_marked() -> None:
    city = build_city()
    client, number, code = submitted(city, "2026-03-02")
    with time_machine.travel(at("2026-03-03"), tick=False):
        track(client, number, code)
        html = client.get(f"/public/track/{number}/").content.decode()
    assert "受理告知最迟 <strong>2026年3月17日</strong>" in html
    assert NOTE not in html
