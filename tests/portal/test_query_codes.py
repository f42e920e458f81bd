"""Query codes at rest: a keyed hash that a stolen table cannot be tested against, and that survives a key
rotation; codes issued before in Django's password format still work (Art. 21(2): the petitioner follows the
case with the number and the code)."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from tests.factories import build_city, register
from xinfang.crypto.fields import TEST_KEY
from xinfang.org.models import Role
from xinfang.portal.models import QueryCode
from xinfang.portal.services import code_matches, issue_query_code

pytestmark = pytest.mark.django_db

NEW = "5a" * 16


def stored(petition_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code_hash FROM portal_querycode WHERE petition_id = %s", [petition_id])
        return str(cursor.fetchone()[0])


def a_code() -> tuple[int, str]:
    city = build_city()
    case = register(city)
    code = issue_query_code(case, city.who(city.bureau, Role.REGISTRAR))
    return case.petition_id, code


def test_the_code_is_stored_as_a_keyed_hash_and_only_the_right_code_matches() -> None:
    petition, code = a_code()
    at_rest = stored(petition)
    assert code not in at_rest and code.replace("-", "") not in at_rest
    assert at_rest.startswith("hmac_sm3$")
    assert code_matches(petition, code)
    assert code_matches(petition, code.lower().replace("-", " "))  # typed from paper, as the form accepts
    wrong = ("B" if code[0] != "B" else "C") + code[1:]
    assert not code_matches(petition, wrong)


def test_a_code_survives_a_key_rotation_and_is_renewed_under_the_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    petition, code = a_code()
    before = stored(petition)
    monkeypatch.setenv("XINFANG_FIELD_KEY", f"{NEW},{os.environ.get('XINFANG_FIELD_KEY') or TEST_KEY}")
    assert code_matches(petition, code)
    after = stored(petition)
    assert after != before and after.startswith("hmac_sm3$")
    monkeypatch.setenv("XINFANG_FIELD_KEY", NEW)  # the old key retired: the renewed hash still matches
    assert code_matches(petition, code)


def test_a_code_under_a_key_no_longer_in_the_ring_does_not_match(monkeypatch: pytest.MonkeyPatch) -> None:
    petition, code = a_code()
    monkeypatch.setenv("XINFANG_FIELD_KEY", NEW)
    assert not code_matches(petition, code)


def test_a_code_issued_in_the_earlier_password_format_still_matches_and_is_upgraded() -> None:
    petition, code = a_code()
    QueryCode.objects.filter(petition_id=petition).update(code_hash=make_password(code))
    assert not code_matches(petition, "ZZZZ-ZZZZ")
    assert stored(petition).startswith("md5$") or not stored(petition).startswith("hmac_sm3$")
    assert code_matches(petition, code)
    assert stored(petition).startswith("hmac_sm3$")
    assert code_matches(petition, code)
