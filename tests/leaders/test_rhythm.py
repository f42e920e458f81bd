"""The rhythm of the joint conference's reports and the leader-case progress setting (platform data, not law)."""

from __future__ import annotations

import datetime as dt

import yaml

from xinfang.leaders import rhythm


def test_each_report_covers_its_period_ending_on_the_day() -> None:
    day = dt.date(2026, 5, 20)
    assert rhythm.period("daily", day) == (day, day)
    assert rhythm.period("weekly", day) == (dt.date(2026, 5, 14), day)
    assert rhythm.period("monthly", day) == (dt.date(2026, 5, 1), day)
    assert rhythm.period("quarterly", day) == (dt.date(2026, 4, 1), day)
    assert rhythm.period("quarterly", dt.date(2026, 3, 31)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert [rhythm.kind_label(k) for k in ("daily", "weekly", "monthly", "quarterly")] == [
        "日报告",
        "周分析",
        "月排查",
        "季调度",
    ]


def test_the_settings_are_marked_not_statutory_and_cite_the_article_they_serve() -> None:
    raw = yaml.safe_load(rhythm.FILE.read_text(encoding="utf-8"))
    assert raw["statutory"] is False and raw["settings"]["progress_every_days"]["statutory"] is False
    law = (rhythm.FILE.parents[4] / ".." / "shared" / "reference" / "law" / "信访工作条例-2022.md").resolve()
    if law.exists():  # the shared reference texts sit next to the worktree
        text = law.read_text(encoding="utf-8")
        assert raw["basis"]["quote"] in text
        assert raw["settings"]["conference_rhythm"]["basis"]["quote"] in text
    assert rhythm.basis() == "《信访工作条例》第十八条第二款"
