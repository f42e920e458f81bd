"""The month tier: whole months are read from `MonthRollup`, edge days from `Rollup`, and the figures equal the
daily sums; `analytics_rollup --check` recomputes from the events and finds any stored row that disagrees."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from xinfang.analytics.models import MonthRollup, OrganDayRollup, OrganMonthRollup, Rollup
from xinfang.analytics.selectors import Filters, split, sums_under
from xinfang.analytics.services import increment, rebuild
from xinfang.org.models import Role

from .world import act, build, day, on

pytestmark = pytest.mark.django_db


def test_split_by_hand() -> None:
    assert split(day("2026-04-01"), day("2026-06-30")) == ((day("2026-04-01"), day("2026-06-01")), [])
    assert split(day("2026-03-15"), day("2026-06-10")) == (
        (day("2026-04-01"), day("2026-05-01")),
        [(day("2026-03-15"), day("2026-03-31")), (day("2026-06-01"), day("2026-06-10"))],
    )
    assert split(day("2026-03-02"), day("2026-03-30")) == (None, [(day("2026-03-02"), day("2026-03-30"))])
    assert split(day("2026-02-01"), day("2026-02-28")) == ((day("2026-02-01"), day("2026-02-01")), [])


def _daily(path: str, start: str, end: str) -> dict[str, tuple[int, int]]:
    rows = Rollup.objects.filter(day__range=(day(start), day(end)), organ__path__startswith=path)
    return {r["key"]: (r["n"], r["t"]) for r in rows.values("key").annotate(n=Sum("count"), t=Sum("total"))}


def test_months_and_edges_read_the_same_as_the_days() -> None:
    w = build()
    rebuild(today=day("2026-06-10"))
    assert MonthRollup.objects.filter(month=day("2026-03-01")).exists()
    path = w.city.county_gov.path
    for start, end in (("2026-03-01", "2026-06-30"), ("2026-03-04", "2026-05-20"), ("2026-05-06", "2026-05-06")):
        found = sums_under(path, Filters(day(start), day(end)))
        assert found == _daily(path, start, end), (start, end)
        # With a filter on the fine dimensions, the fine tiers are read: the same sums here (all 来访).
        assert sums_under(path, Filters(day(start), day(end), channel="visit")) == found
        assert sums_under(path, Filters(day(start), day(end), channel="letter")) == {}
    # March by hand (test_world.py): four petitions, four receipt notices due, three on time.
    march = sums_under(path, Filters(day("2026-03-01"), day("2026-03-31")))
    assert march["petition"] == (4, 0) and march["clock_on_time:receipt_notice"] == (3, 0)


def test_the_check_agrees_after_a_rebuild_and_an_increment_and_finds_a_tampered_row() -> None:
    build()
    with on("2026-06-10"):
        rebuild()
    with on("2026-06-11"):
        increment()
    out = io.StringIO()
    call_command("analytics_rollup", "--check", stdout=out)
    assert "与事件推算结果一致" in out.getvalue()
    row = Rollup.objects.filter(key="petition").first()
    assert row is not None
    Rollup.objects.filter(pk=row.pk).update(count=row.count + 1)
    with pytest.raises(CommandError, match="不一致"):
        call_command("analytics_rollup", "--check", stdout=io.StringIO())
    Rollup.objects.filter(pk=row.pk).update(count=row.count)
    MonthRollup.objects.filter(key="petition").update(count=99)
    with pytest.raises(CommandError, match="不一致"):
        call_command("analytics_rollup", "--check", stdout=io.StringIO())
    with on("2026-06-10"):
        rebuild()
    OrganMonthRollup.objects.filter(key="petition").update(count=99)
    out = io.StringIO()
    with pytest.raises(CommandError, match="不一致"):
        call_command("analytics_rollup", "--check", stdout=out)
    assert "机关月汇总与月汇总不一致" in out.getvalue()


def test_cron_enqueues_the_nightly_increment_for_the_worker() -> None:
    from django_tasks_db.models import DBTaskResult

    build()
    with on("2026-06-10"):
        rebuild()
    out = io.StringIO()
    with on("2026-06-11", 1):
        call_command("analytics_rollup", "--increment", "--enqueue", stdout=out)
    assert "已交给后台任务：增量汇总" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("roll_up_increment")
    from xinfang.analytics.models import RollupState
    from xinfang.analytics.tasks import roll_up_increment

    with on("2026-06-11", 1):
        roll_up_increment.call()  # what the worker runs for the queued row

    state = RollupState.objects.get()
    assert state.as_of == day("2026-06-11") and state.progress.startswith("增量汇总")


def test_an_event_today_updates_the_rollups_of_an_earlier_day_as_a_rebuild_would() -> None:
    """C's opinion was served on 3 June; a review requested on 11 June makes 3 June's opinion a reviewed one
    (served_reviewed counts on the day served), outside the days the nightly run redoes by date."""
    w = build()
    with on("2026-06-10"):
        rebuild()
    served_day = Rollup.objects.filter(day=day("2026-06-03"), key="served_reviewed")
    assert not served_day.exists()
    gov = w.city.county_gov
    act(w.c, "request_review", w.city.who(gov, Role.REGISTRAR), "2026-06-11", received_on="2026-06-11")
    with on("2026-06-12", hour=1):
        increment()
        assert served_day.aggregate(n=Sum("count"))["n"] == 1
        tiers = (Rollup, OrganDayRollup, MonthRollup, OrganMonthRollup)
        incremental = [sorted(m.objects.values_list(*_tier_values(m))) for m in tiers]
        rebuild()
        assert [sorted(m.objects.values_list(*_tier_values(m))) for m in tiers] == incremental


def _tier_values(model: type) -> tuple[str, ...]:
    period = "month" if model in (MonthRollup, OrganMonthRollup) else "day"
    fine = () if model in (OrganDayRollup, OrganMonthRollup) else ("category", "region_code", "channel")
    return (period, "key", "organ_id", *fine, "count", "total")
