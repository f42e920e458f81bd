"""Item 6 of issue 12: receipts a petitioner can verify.

The receipt (portal and desk) and the progress page show the SM3 fingerprint of the petition as registered and
of each served document; /public/verify/ checks number + query code + fingerprint against the event chain.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from django.db import connection
from django.test import Client, override_settings

from tests.factories import at, build_city, register
from tests.portal.helpers import accept, receipt_of, serve_opinion, submit, track
from tests.workspace.test_day import client_for
from xinfang.audit.models import Event
from xinfang.documents.models import Document
from xinfang.intake.models import Petition
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

PRINT = re.compile(r'data-testid="(?:receipt|petition|document)-fingerprint"[^>]*>([0-9a-f ]+)<')


def sm3(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def submitted() -> tuple[object, str, str, str]:
    city = build_city()
    client = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(at("2026-03-02"), tick=False):
        assert submit(client, city).status_code == 302
        number, code = receipt_of(client)
        shown = PRINT.search(client.get("/public/receipt/").content.decode())
    assert shown, "the portal receipt shows the fingerprint"
    return city, number, code, shown.group(1)


def verify(number: str, code: str, fingerprint: str, address: str = "203.0.113.9") -> tuple[int, str]:
    response = Client(REMOTE_ADDR=address).post(
        "/public/verify/", {"number": number, "code": code, "fingerprint": fingerprint}
    )
    html = response.content.decode()
    outcome = re.search(r'data-outcome="(\w+)"', html)
    return response.status_code, outcome.group(1) if outcome else ""


def test_the_receipt_fingerprint_is_the_digest_the_chain_recorded_at_registration() -> None:
    _, number, _, shown = submitted()
    petition = Petition.objects.get(number=number)
    received = Event.objects.filter(petition_id=petition.pk, action="receive").get()
    assert shown.replace(" ", "") == received.petition_digest
    assert len(shown.split(" ")) == 8  # eight groups of eight, for reading aloud


def test_an_unchanged_petition_verifies_typed_loosely() -> None:
    _, number, code, shown = submitted()
    assert verify(number, code, shown) == (200, "unchanged")
    assert verify(number.lower(), code.lower(), shown.upper().replace(" ", "-")) == (200, "unchanged")


def test_altering_the_registered_text_in_the_database_makes_verification_fail() -> None:
    _, number, code, shown = submitted()
    Petition.objects.filter(number=number).update(request="请求补发拖欠的房屋征收补偿款二十万元")
    assert verify(number, code, shown) == (200, "changed")


def test_altering_the_text_with_raw_sql_makes_verification_fail() -> None:
    _, number, code, shown = submitted()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petition SET facts = %s WHERE number = %s", ["老房没有被征收。", number])
    assert verify(number, code, shown) == (200, "changed")


def test_tampering_with_an_event_of_the_petition_makes_verification_fail() -> None:
    _, number, code, shown = submitted()
    petition = Petition.objects.get(number=number)
    event = Event.objects.filter(petition_id=petition.pk, action="register").get()
    Event.objects.filter(pk=event.pk).update(actor_label="别人")
    assert verify(number, code, shown) == (200, "changed")


def test_without_the_right_code_nothing_is_revealed_and_unknown_numbers_look_the_same() -> None:
    _, number, code, shown = submitted()
    wrong = Client(REMOTE_ADDR="203.0.113.20").post(
        "/public/verify/", {"number": number, "code": "AAAA-AAAA", "fingerprint": shown}
    )
    unknown = Client(REMOTE_ADDR="203.0.113.21").post(
        "/public/verify/", {"number": "XF20269999999", "code": code, "fingerprint": shown}
    )
    for response in (wrong, unknown):
        html = response.content.decode()
        assert response.status_code == 400 and "编号或查询码不正确" in html
        assert "data-outcome" not in html and "未被改动" not in html and "不一致" not in html
    # A fingerprint that is not this petition's is said to be so, only with the code.
    assert verify(number, code, "0" * 64) == (200, "unknown")


def test_a_fingerprint_that_is_not_64_hex_characters_is_refused_naming_the_field() -> None:
    _, number, code, _ = submitted()
    response = Client().post("/public/verify/", {"number": number, "code": code, "fingerprint": "12345"})
    assert response.status_code == 400 and "「指纹（SM3）」应为64位字符" in response.content.decode()


def test_wrong_codes_on_the_verification_page_count_with_the_progress_lookup() -> None:
    _, number, code, shown = submitted()
    guesser = "203.0.113.30"
    with time_machine.travel(at("2026-03-03"), tick=False), override_settings(XINFANG_PORTAL_WRONG_CODES_PER_NUMBER=3):
        assert track(Client(REMOTE_ADDR=guesser), number, "AAAA-AAAA").status_code == 400
        assert verify(number, "AAAA-BBBB", shown, guesser)[0] == 400
        assert verify(number, "AAAA-CCCC", shown, guesser)[0] == 400
        assert verify(number, code, shown, guesser) == (429, "")  # paused even with the right code
        assert track(Client(REMOTE_ADDR=guesser), number, code).status_code == 429
        assert verify(number, code, shown, "192.0.2.1") == (200, "unchanged")  # the petitioner is not locked out


def test_progress_shows_the_fingerprint_of_each_served_document_and_it_verifies() -> None:
    city, number, code, shown = submitted()
    case = Petition.objects.get(number=number).cases.get()
    with time_machine.travel(at("2026-03-05"), tick=False):
        case = accept(city, case)  # type: ignore[arg-type]
    with time_machine.travel(at("2026-04-10"), tick=False):
        serve_opinion(city, case, dt.date(2026, 4, 10))  # type: ignore[arg-type]
        browser = Client(REMOTE_ADDR="198.51.100.8")
        track(browser, number, code)
        html = browser.get(f"/public/track/{number}/").content.decode()
        prints = [p.replace(" ", "") for p in PRINT.findall(html)]
        link = re.search(r'href="(/public/track/[^"]+/documents/\d+/)"', html)
        assert link
        pdf = browser.get(link.group(1)).content
    assert prints[0] == shown.replace(" ", "")
    assert prints[1] == sm3(pdf)  # the petitioner can check the file they downloaded with any SM3 tool
    assert verify(number, code, prints[1]) == (200, "unchanged")
    Document.objects.filter(case__petition__number=number).update(pdf=pdf.replace(b"%%EOF", b"%%EOF\n"))
    assert verify(number, code, prints[1]) == (200, "changed")
    assert verify(number, code, shown) == (200, "unchanged")  # the petition itself is untouched


def test_the_desk_receipt_shows_the_fingerprint_and_it_verifies() -> None:
    city = build_city()
    case = register(city, channel="letter")
    clerk = client_for(city.who(city.bureau, Role.REGISTRAR))
    page = clerk.post(f"/work/cases/{case.pk}/receipt/").content.decode()
    code = re.search(r'data-testid="receipt-code" data-verbatim>([A-Z0-9-]+)<', page)
    shown = PRINT.search(page)
    assert code and shown and "/public/verify/" in page
    assert verify(case.petition.number, code.group(1), shown.group(1)) == (200, "unchanged")
