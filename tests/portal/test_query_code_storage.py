"""Issue 10, item 6: the query code is never stored in clear anywhere, the session included."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import at, build_city
from tests.portal.helpers import receipt_of, submit, track

pytestmark = pytest.mark.django_db


def _stored_sessions() -> str:
    """Every session row, raw and decoded, as one text to search."""
    rows = []
    for session in Session.objects.all():
        rows.append(session.session_data)
        rows.append(repr(session.get_decoded()))
    return "\n".join(rows)


def _forms_of(code: str) -> list[str]:
    bare = code.replace("-", "")
    return [code, bare, code.lower(), bare.lower()]


def test_no_session_row_holds_the_code_after_submission_and_after_a_lookup() -> None:
    city = build_city()
    client = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(at("2026-03-02"), tick=False):
        assert submit(client, city).status_code == 302
        number, code = receipt_of(client)  # shown to the petitioner once more on the receipt page
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        stored = _stored_sessions()
        assert number in stored  # the session is there and searchable: the test can see a leak
        assert not any(form in stored for form in _forms_of(code))

        other = Client(REMOTE_ADDR="198.51.100.8")
        assert track(other, number, code.lower()).status_code == 302
        assert other.get(f"/public/track/{number}/").status_code == 200
        stored = _stored_sessions()
    assert not any(form in stored for form in _forms_of(code))


def test_the_receipt_shows_the_code_only_in_the_browser_that_submitted() -> None:
    city = build_city()
    client = Client()
    submit(client, city)
    number, code = receipt_of(client)
    assert code in client.get("/public/receipt/").content.decode()  # a reload (e.g. elder mode) keeps it

    # The same session without the browser's half (the pad cookie): the server alone cannot rebuild the code.
    del client.cookies["portal_receipt_pad"]
    html = client.get("/public/receipt/").content.decode()
    assert number in html and code not in html and "现已不再显示" in html


def test_the_pad_cookie_is_httponly_strict_and_limited_to_the_receipt() -> None:
    city = build_city()
    client = Client()
    response = submit(client, city)
    cookie = response.cookies["portal_receipt_pad"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/public/receipt/"
    assert 0 < int(cookie["max-age"]) <= 3600
