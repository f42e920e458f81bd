"""Each indicator computed on the hand-built world of `world.py`; the expected numbers counted by hand."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import build_city, register
from xinfang.analytics.models import Rollup
from xinfang.analytics.selectors import Figure, Filters, cases_behind, figures, ranking
from xinfang.analytics.services import increment, rebuild, recompute
from xinfang.org.models import Role, Staff
from xinfang.rules.indicators import indicator

from .world import OPINION, World, act, build, day, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build()


def table(viewer: Staff, start: str, end: str) -> dict[tuple[str, str], Figure]:
    return {(f.indicator.id, f.rule): f for f in figures(viewer, Filters(day(start), day(end)))}


def nd(f: Figure) -> tuple[int, int | None]:
    return f.numerator, f.denominator


def test_every_indicator_by_hand(world: World) -> None:
    recompute(day("2026-03-01"), day("2026-06-30"), today=day("2026-06-10"))
    analyst = world.city.who(world.city.county_bureau, Role.ANALYST)  # oversees 甲县's departments

    march = table(analyst, "2026-03-01", "2026-03-31")
    # Receipt notices due 03-17 (15 days from 03-02): A, B, C served 03-05, D on 03-20 -> 3 of 4.
    assert nd(march[("timely_acceptance", "")]) == (3, 4)
    # Accepted in March: A, B, C, D; concluded as of 06-10: A, C, D (B never) -> 3 of 4.
    assert nd(march[("conclusion", "")]) == (3, 4)
    # Petitions received in March: A, B, C, D, none a repeat.
    assert nd(march[("repeat_petition", "")]) == (0, 4)

    spring = table(analyst, "2026-04-01", "2026-06-30")
    # Handling periods due in the window: A, B, D on May 6 (C's stopped as extended); C's extension on June 3.
    # On time: A (04-20), C (06-02). Late: B (never), D (05-08) -> 2 of 4.
    assert nd(spring[("on_time_conclusion", "")]) == (2, 4)
    # Served: A (04-22), D (05-10), C (06-03); rated: A and D -> 2 of 3; review requested: A -> 1 of 3.
    assert nd(spring[("rating_participation", "")]) == (2, 3)
    assert nd(spring[("review_rate", "")]) == (1, 3)
    # Result ratings: A 满意, D 不满意 -> 1 of 2 satisfied; D's 回访 recorded -> 1 of 1.
    assert nd(spring[("satisfaction", "")]) == (1, 2)
    assert nd(spring[("follow_up", "")]) == (1, 1)
    # One review opinion (A, 05-20), changing the original -> 1 of 1.
    assert nd(spring[("review_changed", "")]) == (1, 1)
    # E, received 05-15, repeats A's matter: 1 of 1.
    assert nd(spring[("repeat_petition", "")]) == (1, 1)
    # Overdue by duty: handling B and D (May 6); E's receipt notice (due 06-01: 05-15 + 15 = 05-30, a Saturday)
    # was never served -> 1 late receipt notice.
    assert spring[("overdue", "handling")].numerator == 2
    assert spring[("overdue", "receipt_notice")].numerator == 1
    assert spring[("overdue", "")].numerator == 3
    # Days per stage: A's handling 03-05 -> 04-20 = 46 days; D's 03-05 -> 05-08 = 64 days: mean 55.
    mean = spring[("stage_days", "handling")]
    assert (mean.numerator, mean.denominator, mean.value) == (110, 2, 55.0)
    # C's extension 05-04 -> 06-02 = 29 days.
    assert nd(spring[("stage_days", "handling_extension")]) == (29, 1)


def test_the_day_after_the_legal_last_day_moves_on_time_conclusion() -> None:
    city = build_city()
    org = city.county_housing
    tri, han = city.who(org, Role.TRIAGE_OFFICER), city.who(org, Role.HANDLER)
    on_time, pending = (register(city, org, when="2026-03-02", name=n) for n in ("甲某某", "乙某某"))
    for case in (on_time, pending):
        act(case, "triage", tri, "2026-03-03", category="grievance")
        act(case, "accept", tri, "2026-03-05")
        act(case, "investigate", han, "2026-03-06")
    act(on_time, "issue_opinion", han, "2026-04-20", **OPINION)
    analyst = city.who(city.county_bureau, Role.ANALYST)
    with on("2026-05-06"):  # the legal last day: the pending case is still within its period
        rebuild()
        assert nd(table(analyst, "2026-05-01", "2026-05-31")[("on_time_conclusion", "")]) == (1, 1)
    with on("2026-05-07", hour=1):  # the day after: 60 days (Art. 34) have run out unconcluded
        increment()
        may = table(analyst, "2026-05-01", "2026-05-31")
        assert nd(may[("on_time_conclusion", "")]) == (1, 2)
        assert may[("on_time_conclusion", "")].value == 50.0
        behind = cases_behind(analyst, Filters(day("2026-05-01"), day("2026-05-31")), ("clock_late:handling",))
        assert [c.pk for c in behind.cases] == [pending.pk] and behind.hidden == 0
        act(pending, "issue_opinion", han, "2026-05-07", **OPINION)  # concluded, but a day late
        increment()
        incremental = sorted(Rollup.objects.values_list("day", "key", "organ_id", "count", "total"))
        rebuild()
        assert sorted(Rollup.objects.values_list("day", "key", "organ_id", "count", "total")) == incremental
        assert nd(table(analyst, "2026-05-01", "2026-05-31")[("on_time_conclusion", "")]) == (1, 2)


def test_the_indicators_command_prints_the_hand_counts(world: World) -> None:
    recompute(day("2026-03-01"), day("2026-06-30"), today=day("2026-06-10"))
    out = io.StringIO()
    call_command(
        "indicators",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--organ",
        str(world.city.county_gov.pk),
        "--json",
        stdout=out,
    )
    rows = {(r["id"], r["rule"]): r for r in json.loads(out.getvalue())}
    assert (rows[("on_time_conclusion", "")]["numerator"], rows[("on_time_conclusion", "")]["denominator"]) == (2, 4)
    assert rows[("on_time_conclusion", "")]["value"] == 50.0
    text = io.StringIO()
    call_command("indicators", "--from", "2026-04-01", "--to", "2026-06-30", stdout=text)
    assert "按期办结率：2 / 4 = 50.00%" in text.getvalue()
    with pytest.raises(CommandError, match="没有编号为 0 的机关"):
        call_command("indicators", "--from", "2026-04-01", "--to", "2026-06-30", "--organ", "0")


def test_the_rollup_command_shows_progress_and_agrees_with_the_services(world: World) -> None:
    out = io.StringIO()
    call_command("analytics_rollup", "--from", "2026-03-01", "--to", "2026-04-30", "--today", "2026-06-10", stdout=out)
    # 61 days in chunks of 31: two chunks, each reported.
    assert "[1/2] 2026-03-01至2026-03-31" in out.getvalue() and "[2/2] 2026-04-01至2026-04-30" in out.getvalue()
    assert "完成：61天" in out.getvalue()
    by_command = sorted(Rollup.objects.values_list("day", "key", "organ_id", "count", "total"))
    recompute(day("2026-03-01"), day("2026-04-30"), today=day("2026-06-10"))  # again: idempotent
    assert sorted(Rollup.objects.values_list("day", "key", "organ_id", "count", "total")) == by_command
    with pytest.raises(CommandError, match="--to 不得早于 --from"):
        call_command("analytics_rollup", "--from", "2026-04-30", "--to", "2026-03-01")


def test_the_ranking_marks_organs_with_few_cases(world: World) -> None:
    recompute(day("2026-03-01"), day("2026-06-30"), today=day("2026-06-10"))
    analyst = world.city.who(world.city.county_bureau, Role.ANALYST)
    ranked = ranking(analyst, Filters(day("2026-04-01"), day("2026-06-30")), indicator("on_time_conclusion"))
    # Under 甲县人民政府 only 甲县住房和城乡建设局 had handling periods: 2 of 4, fewer than 10 cases: marked.
    assert [(r.organ, r.figure.numerator, r.figure.denominator, r.figure.few) for r in ranked] == [
        (world.city.county_housing, 2, 4, True)
    ]
