"""The working rhythms of the leaders app, read from `rules/data/platform/leaders.yaml` (platform settings,
not statutory periods: the file says so)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FILE = Path(__file__).resolve().parents[1] / "rules" / "data" / "platform" / "leaders.yaml"


@cache
def _data() -> dict[str, Any]:
    raw = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    assert raw["statutory"] is False, "leaders.yaml holds platform settings, not statutory periods"
    return dict(raw)


def progress_every_days() -> int:
    return int(_data()["settings"]["progress_every_days"]["value"])


def basis() -> str:
    b = _data()["basis"]
    return f"《{b['instrument']}》{b['article']}"


def conference_basis() -> str:
    b = _data()["settings"]["conference_rhythm"]["basis"]
    return f"《{b['instrument']}》{b['article']}"


def period(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period a report of ``kind`` covers, ending on ``day``: the day; the week ending that day; the
    calendar month, or the calendar quarter, up to that day."""
    spec = _data()["settings"]["conference_rhythm"]["kinds"][kind]
    if "days" in spec:
        return day - dt.timedelta(days=int(spec["days"]) - 1), day
    months = int(spec["months"])
    first_month = (day.month - 1) // months * months + 1
    return dt.date(day.year, first_month, 1), day


def kind_label(kind: str) -> str:
    return str(_data()["settings"]["conference_rhythm"]["kinds"][kind]["label"])
