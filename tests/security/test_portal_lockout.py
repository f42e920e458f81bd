"""The portal's wrong-code limit pauses the guesser, never the petitioner who holds the receipt (issue 12)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings

from tests.factories import at, build_city
from tests.portal.helpers import receipt_of, submit, track
from xinfang.portal.throttle import address_key

pytestmark = pytest.mark.django_db


def receipt() -> tuple[str, str]:
    city = build_city()
    client = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(at("2026-03-02"), tick=False):
        assert submit(client, city).status_code == 302
        return receipt_of(client)


@override_settings(XINFANG_PORTAL_WRONG_CODES_PER_NUMBER=5, XINFANG_PORTAL_WRONG_CODES_PER_ADDRESS=20)
def test_a_stranger_guessing_at_a_number_does_not_lock_out_its_petitioner() -> None:
    number, code = receipt()
    stranger = Client(REMOTE_ADDR="203.0.113.66")
    with time_machine.travel(at("2026-03-03"), tick=False):
        for _ in range(5):
            assert track(stranger, number, "AAAA-AAAA").status_code == 400
        paused = track(stranger, number, "AAAA-AAAA")
        assert paused.status_code == 429 and "错误次数过多" in paused.content.decode()
        assert track(stranger, number, code).status_code == 429  # the guesser stays paused, even when right
        petitioner = Client(REMOTE_ADDR="192.0.2.1")
        assert track(petitioner, number, code)["Location"] == f"/public/track/{number}/"
    with time_machine.travel(at("2026-03-03", 12), tick=False):
        assert track(stranger, number, code).status_code == 302  # the next hour the pause is over


@override_settings(XINFANG_PORTAL_WRONG_CODES_PER_NUMBER=5, XINFANG_PORTAL_WRONG_CODES_PER_ADDRESS=20)
def test_an_address_guessing_across_numbers_is_paused_after_twenty() -> None:
    number, code = receipt()
    stranger = Client(REMOTE_ADDR="203.0.113.66")
    with time_machine.travel(at("2026-03-03"), tick=False):
        for n in range(20):
            assert track(stranger, f"XF2026{n:07d}", "AAAA-AAAA").status_code == 400
        assert track(stranger, number, "AAAA-AAAA").status_code == 429
        assert track(Client(REMOTE_ADDR="203.0.113.67"), number, code).status_code == 302


@override_settings(XINFANG_PORTAL_WRONG_CODES_PER_NUMBER=5, XINFANG_PORTAL_WRONG_CODES_PER_ADDRESS=20)
def test_addresses_of_one_ipv6_network_count_together() -> None:
    number, _ = receipt()
    with time_machine.travel(at("2026-03-03"), tick=False):
        for n in range(5):
            assert track(Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"), number, "AAAA-AAAA").status_code == 400
        assert track(Client(REMOTE_ADDR="2001:db8:1:2::ffff"), number, "AAAA-AAAA").status_code == 429
        assert track(Client(REMOTE_ADDR="2001:db8:1:3::1"), number, "AAAA-AAAA").status_code == 400


def test_address_key() -> None:
    assert address_key("203.0.113.5") == "203.0.113.5"
    assert address_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert address_key("::ffff:203.0.113.5") == "203.0.113.5"
    assert address_key("unknown") == "unknown"
