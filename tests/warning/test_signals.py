"""Weak signals: a topic below the hotspot thresholds (4 petitions) but rising, scored by the factors of
`warning/signals.yaml` (本平台定义): new petitioners ×1, collective visits ×2, repeat petitions ×1, escalations
×1.5, overdue ×1.5; flagged from 4 points with ≥ 2 petitions from ≥ 2 people at ≥ 2 × the baseline rate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.factories import build_city, register
from xinfang.warning import services
from xinfang.warning.models import Kind
from xinfang.warning.signals import SignalFileError, score, signal_rules

from .helpers import burst

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 30)


def test_three_people_two_of_them_collective_visits_are_a_weak_signal_with_each_factor_shown() -> None:
    city = build_city()
    burst(city, DAY, n=1, request="幸福花园小区电梯停运")
    for k in (1, 2):
        register(
            city,
            when=(DAY - dt.timedelta(days=k)).isoformat(),
            request="幸福花园小区电梯停运，业主集体来访",
            contact=f"139{k:08d}",
            channel="visit",
            collective=True,
            headcount=12,
        )
    (alert,) = services.detect(city.bureau, DAY)
    assert (alert.kind, alert.topic, alert.count, alert.persons) == (Kind.WEAK, "幸福花园", 3, 3)
    points = {f["key"]: (f["value"], f["weight"], f["points"]) for f in alert.factors}
    assert points == {
        "new_persons": (3, 1.0, 3.0),
        "collective": (2, 2.0, 4.0),
        "repeat": (0, 1.0, 0.0),
        "escalation": (0, 1.5, 0.0),
        "overdue": (0, 1.5, 0.0),
    }
    assert alert.score == 7.0
    assert [f["label"] for f in alert.factors][:2] == ["新增信访人", "集体访"]
    # The trend line: 35 days (28-day baseline + 7-day window) ending on DAY, one petition on each of the last 3.
    assert alert.trend_start == DAY - dt.timedelta(days=34)
    assert len(alert.trend) == 35 and alert.trend[-3:] == [1, 1, 1] and sum(alert.trend) == 3
    assert alert.organs == sorted({"甲县住房和城乡建设局", "西地市信访局"})


def test_three_new_people_alone_score_three_and_raise_nothing() -> None:
    city = build_city()
    burst(city, DAY, n=3)
    assert services.detect(city.bureau, DAY) == []


def test_a_hotspot_also_carries_its_factors() -> None:
    city = build_city()
    burst(city, DAY, n=4)
    (alert,) = services.detect(city.bureau, DAY)
    assert (alert.kind, alert.score) == (Kind.HOTSPOT, 4.0)  # 4 new petitioners × 1


def test_the_weights_are_platform_defined_data() -> None:
    rules = signal_rules()
    assert rules.source == "本平台定义"
    assert score({"collective": 1, "overdue": 2}, rules)[0] == 2.0 + 3.0


def test_a_weights_file_not_marked_as_platform_defined_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "signals.yaml"
    path.write_text("source: 法定\nmin_count: 2\nmin_persons: 2\nmin_ratio: 2\nthreshold: 4\nfactors: []\n", "utf-8")
    with pytest.raises(SignalFileError, match="本平台定义"):
        signal_rules(path)


def test_the_heat_map_runs_monday_to_sunday_in_four_levels_of_the_busiest_day() -> None:
    from xinfang.warning.selectors import heat_weeks

    # 2026-03-04 is a Wednesday: the map starts on Monday 3-02, whose first two days are blank.
    counts = {dt.date(2026, 3, 4): 8, dt.date(2026, 3, 5): 1, dt.date(2026, 3, 6): 2, dt.date(2026, 3, 9): 5}
    weeks = heat_weeks(counts, dt.date(2026, 3, 4), dt.date(2026, 3, 10))
    assert [[c["day"].day for c in w] for w in weeks] == [[2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15]]
    # level = 1 + (n × 4 − 1) // 8: 8 → 4, 1 → 1, 2 → 1, 5 → 3; none → 0; outside → blank.
    assert [c["level"] for c in weeks[0]] == ["", "", 4, 1, 1, 0, 0]
    assert [c["level"] for c in weeks[1]] == [3, 0, "", "", "", "", ""]


def test_escalation_is_more_than_one_level_above_the_handling_organ_or_a_review() -> None:
    from xinfang.intake.models import Petition
    from xinfang.lifecycle.models import Case
    from xinfang.org.models import Organ
    from xinfang.warning.services import _escalated

    def case(received_at: str, handled_at: str, review: bool = False) -> Case:
        petition = Petition(receiving_organ=Organ(level=received_at))
        made = Case(petition=petition, organ=Organ(level=handled_at))
        made.review_organ_id = 1 if review else None
        return made

    assert not _escalated(case("city", "county"))  # the level above: allowed by Art. 20
    assert _escalated(case("province", "county"))  # two levels above
    assert not _escalated(case("county", "county"))
    assert _escalated(case("county", "county", review=True))  # brought to review
