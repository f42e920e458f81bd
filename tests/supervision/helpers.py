"""A case overdue at 甲县住房和城乡建设局, and the people who supervise and answer it."""

from __future__ import annotations

from tests.factories import City, at, register
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Role


def accepted(city: City, day: str = "2026-03-02", where: Organ | None = None, **fields: str) -> Case:
    """Registered and accepted at ``where`` (the county housing department) on ``day``: its handling clock runs."""
    where = where or city.county_housing
    case = register(city, where, when=day, **fields)
    case = perform(case, "triage", city.who(where, Role.TRIAGE_OFFICER), {"category": "grievance"}, now=at(day, 11))
    return perform(case, "accept", city.who(where, Role.TRIAGE_OFFICER), {}, now=at(day, 12))
