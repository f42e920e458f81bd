"""The notice registry: the engine asks the registered checkers (the documents app) about the named document."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import build_city, register
from tests.lifecycle.legal_world import FakeNotice, fake_checker
from xinfang.lifecycle import notices
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db


def test_without_a_registered_checker_no_document_is_accepted() -> None:
    city = build_city()
    case = register(city, city.county_housing)
    notices.unregister_checker(fake_checker)  # the conftest registered it for this test
    try:
        reason = notices.refusal(case, "receipt_notice", {"document": FakeNotice("receipt_notice", case.pk)})
    finally:
        notices.register_checker(fake_checker)
    assert reason is not None and "第二十三条第二款" in reason


def test_a_document_of_another_case_is_refused() -> None:
    city = build_city()
    case, other = register(city, city.county_housing), register(city, city.county_housing)
    today = dt.date.today().isoformat()
    with pytest.raises(Refused, match="须以本案已出具的受理告知书"):
        perform(
            case,
            "record_notice",
            city.who(city.county_housing, Role.REGISTRAR),
            {"served_on": today, "method": "当面", "document": FakeNotice("receipt_notice", other.pk)},
        )


def test_registering_twice_keeps_one_entry_and_the_block_cleans_up() -> None:
    def checker(case: object, kind: str, document: object) -> str | None:
        return None

    with notices.registered(checker):
        notices.register_checker(checker)
        assert notices._CHECKERS.count(checker) == 1
    assert checker not in notices._CHECKERS


def test_a_direct_accusation_at_the_discipline_organ_follows_its_own_rules() -> None:
    """Art. 23(4): no 15-day receipt notice clock for a 纪检监察 organ handling an accusation."""
    city = build_city()
    case = register(city, city.discipline, accusation=True)
    assert notices.own_notice_rules(case) is not None
    assert not case.clocks.filter(rule="receipt_notice").exists()
    plain = register(city, city.discipline)
    assert notices.own_notice_rules(plain) is None and plain.clocks.filter(rule="receipt_notice").exists()
