"""Petitions for the warning tests: registered at the city bureau, triaged and transferred to a department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import City, at, register
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Role


def transferred(city: City, day: dt.date, *, to: Organ | None = None, **fields: Any) -> Case:
    """One petition received on ``day`` at the city bureau and transferred the same day; the bureau's case."""
    case = register(city, when=day.isoformat(), **fields)
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    perform(case, "triage", officer, {"category": "grievance"}, now=at(day.isoformat(), 11))
    perform(case, "transfer", officer, {"target_organ": to or city.county_housing}, now=at(day.isoformat(), 12))
    case.refresh_from_db()
    return case


def burst(city: City, last: dt.date, n: int = 4, request: str = "幸福花园小区电梯停运", **fields: Any) -> list[Case]:
    """``n`` petitions about one place from ``n`` people on the ``n`` days up to ``last``."""
    return [
        transferred(city, last - dt.timedelta(days=k), request=request, contact=f"138{k:08d}", **fields)
        for k in range(n)
    ]
