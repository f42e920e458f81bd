"""Online submission: the labels of Art. 19, per-field errors that keep what was typed, CAPTCHA, rate limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from tests.factories import build_city
from tests.portal.helpers import captcha_of, fields, receipt_of, submit
from xinfang.audit.verify import first_problem
from xinfang.intake.models import Petition
from xinfang.portal.models import QueryCode
from xinfang.portal.services import code_matches

pytestmark = pytest.mark.django_db
LABELS = ("姓名（名称）", "证件号码", "联系电话", "住址", "诉求", "事实和理由")


def test_the_form_uses_the_exact_labels_and_lists_the_published_organs_by_region() -> None:
    city = build_city()
    html = Client().get("/public/submit/").content.decode()
    for label in LABELS:
        assert f">{label} *</label>" in html
    assert city.county_housing.name in html and "甲县" in html
    assert "附件（可选）" in html


def test_a_petitioner_submits_and_gets_a_number_and_a_query_code_stored_only_as_a_hash() -> None:
    city = build_city()
    client = Client()
    response = submit(client, city)
    assert response.status_code == 302 and response["Location"] == "/public/receipt/"
    number, code = receipt_of(client)
    petition = Petition.objects.get(number=number)
    assert petition.channel == "online" and petition.receiving_organ == city.county_housing
    assert petition.name == "王秀兰" and petition.facts.startswith("2025年")
    case = petition.cases.get()
    assert case.state == "registered" and case.clocks.filter(rule="receipt_notice", status="running").exists()
    stored = QueryCode.objects.get(petition=petition).code_hash
    assert code not in stored and code_matches(petition.pk, code)
    assert not code_matches(petition.pk, code[:-1] + ("A" if code[-1] != "A" else "B"))
    assert first_problem() is None  # the registration is in the event chain


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "证件号码"),
        ({"request": "  "}, "request", "诉求"),
        ({"organ": ""}, "organ", "向哪个机关提出"),
        ({"captcha_answer": "999"}, "captcha", "验证问题的答案不正确"),
    ],
)
def test_each_error_names_its_field_and_keeps_what_was_typed(
    overrides: dict[str, str], field: str, message: str
) -> None:
    city = build_city()
    response = submit(Client(), city, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and f'id="err-{field}"' in html  # shown beside the field, not only in the summary
    assert "请更正以下问题后再提交" in html
    for key, value in fields(city).items():
        if key not in overrides and key not in ("region", "organ"):
            assert value in html, f"{key} was kept"
    assert not Petition.objects.exists()


def test_a_30_mb_attachment_and_an_executable_named_pdf_are_refused_and_the_text_is_kept() -> None:
    city = build_city()
    for upload, message in (
        (SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)), "超过 20 MB"),
        (SimpleUploadedFile("合同.pdf", b"MZ\x90\x00" + b"\x00" * 2000), "可执行程序"),
    ):
        client = Client()
        answer, token = captcha_of(client.get("/public/submit/").content.decode())
        data = {**fields(city), "captcha_answer": answer, "captcha_token": token, "attachments": upload}
        response = client.post("/public/submit/", data)
        html = response.content.decode()
        assert response.status_code == 400 and message in html
        assert "请求补发拖欠的房屋征收补偿款" in html and "王秀兰" in html
        assert "重新选择附件" in html
    assert not Petition.objects.exists()


def test_a_good_attachment_is_kept_with_the_petition() -> None:
    city = build_city()
    client = Client()
    answer, token = captcha_of(client.get("/public/submit/").content.decode())
    from tests.intake.test_registration import PDF

    upload = SimpleUploadedFile("收据.pdf", PDF)
    client.post(
        "/public/submit/", {**fields(city), "captcha_answer": answer, "captcha_token": token, "attachments": upload}
    )
    assert Petition.objects.get().attachments.get().original_name == "收据.pdf"


def test_a_captcha_answers_once_only() -> None:
    city = build_city()
    client = Client()
    answer, token = captcha_of(client.get("/public/submit/").content.decode())
    data = {**fields(city), "captcha_answer": answer, "captcha_token": token}
    assert client.post("/public/submit/", data).status_code == 302
    replay = client.post("/public/submit/", data)
    assert replay.status_code == 400 and "已使用过" in replay.content.decode()
    assert Petition.objects.count() == 1


def test_the_organ_must_belong_to_the_chosen_region() -> None:
    city = build_city()
    response = submit(Client(), city, region=city.other_county_housing.region_code)
    assert response.status_code == 400 and "所选的机关不在所选的地区" in response.content.decode()


@override_settings(XINFANG_PORTAL_SUBMISSIONS_PER_HOUR=2)
def test_submissions_are_limited_per_address() -> None:
    city = build_city()
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert submit(client, city).status_code == 302
    assert submit(client, city).status_code == 302
    third = submit(client, city)
    assert third.status_code == 429 and "一小时内最多提交2件" in third.content.decode()
    assert "请求补发拖欠的房屋征收补偿款" in third.content.decode()
    assert submit(Client(REMOTE_ADDR="203.0.113.10"), city).status_code == 302  # another address is not blocked
    assert Petition.objects.count() == 3
