from __future__ import annotations

import pytest

from tests.factories import at, build_city, register
from xinfang.lifecycle.engine import perform
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db


def test_smoke_grievance_path() -> None:
    city = build_city()
    case = register(city)
    assert case.state == "registered"
    assert [c.rule for c in case.clocks.all()] == ["bureau_disposition"]
    triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
    perform(case, "triage", triage, {"category": "grievance"}, now=at("2026-03-03"))
    perform(case, "transfer", triage, {"target_organ": city.county_housing}, now=at("2026-03-04"))
    child = case.children.get()
    assert child.state == "registered"
    assert sorted(c.rule for c in child.clocks.all()) == ["receipt_notice", "transfer_objection"]
