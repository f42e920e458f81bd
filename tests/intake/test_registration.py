"""Registration is never refused for who the petitioner is; bad input is named, field by field, in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from tests.factories import at, build_city, register
from xinfang.audit.verify import first_problem
from xinfang.intake.models import Petition
from xinfang.intake.services import PetitionInput, RepresentativeInput, UploadInput, register_petition
from xinfang.intake.validation import resident_id_error
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db
def _pdf() -> bytes:
    """A real one-page PDF: the upload check parses the structure, not only the first bytes."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PDF")
    return buffer.getvalue()


PDF = _pdf()


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def errors_of(call: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    return caught.value.message_dict


def test_numbers_are_consecutive_per_year_and_content_is_recorded_as_received() -> None:
    city = build_city()
    first, second = register(city, when="2026-03-02"), register(city, when="2026-03-02", channel="phone")
    assert (first.petition.number, second.petition.number) == ("XF20260000001", "XF20260000002")
    assert register(city, when="2027-01-04").petition.number == "XF20270000001"
    assert second.petition.oral and not register(city, channel="letter").petition.oral  # oral: 如实记录
    assert first.petition.received_at == at("2026-03-02")


@pytest.mark.parametrize("fields", [{"anonymous": True}, {"name": "", "address": ""}, {"address": ""}])
def test_anonymous_or_unclear_identity_is_registered_flagged_and_owes_no_notice(fields: dict[str, object]) -> None:
    city = build_city()
    case = register(city, city.county_housing, **fields)  # type: ignore[arg-type]
    petition = case.petition
    assert case.state == "registered" and petition.notice_exempt
    assert petition.anonymous == bool(fields.get("anonymous")) and petition.identity_unclear != petition.anonymous
    assert not case.clocks.filter(rule="receipt_notice").exists()  # Art. 23(2): no written notice owed
    if petition.anonymous:
        assert petition.name == petition.contact == ""


def test_a_repeat_petition_links_to_its_matter() -> None:
    city = build_city()
    first = register(city)
    again = register(city, matter_id=first.matter_id, channel="letter")
    assert again.matter_id == first.matter_id and again.petition.is_repeat
    assert list(first.matter.petitions.order_by("pk")) == [first.petition, again.petition]


def test_collective_visit_takes_at_most_five_representatives() -> None:
    city = build_city()
    reps = [RepresentativeInput(name=f"代表{i}") for i in range(6)]
    problems = errors_of(lambda: register(city, collective=True, headcount=40, representatives=reps))
    assert "不得超过5人（《信访工作条例》第二十条第三款）" in problems["representatives"][0]
    case = register(city, collective=True, headcount=40, representatives=reps[:5])
    assert case.petition.headcount == 40 and case.petition.representatives.count() == 5
    assert "人数" in errors_of(lambda: register(city, collective=True, headcount=1))["headcount"][0]


def test_bad_input_is_named_and_nothing_is_written() -> None:
    city = build_city()
    before = (Petition.objects.count(), Case.objects.count())
    problems = errors_of(lambda: register(city, request="  ", id_number="110101199003071234", region_code="99"))
    assert set(problems) == {"request", "id_number", "region_code"}
    assert "「诉求」不能为空" in problems["request"][0] and "校验位不正确" in problems["id_number"][0]
    assert (Petition.objects.count(), Case.objects.count()) == before


def test_resident_id_checksum() -> None:
    assert resident_id_error("11010519491231002X") is None  # the GB 11643 example
    assert resident_id_error("110105194912310021") is not None
    assert resident_id_error("11010519491231002Y") is not None
    assert resident_id_error("E12345678") is None  # passports and other documents are not checked


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证据.pdf", b"MZ\x90\x00" + b"\x00" * 200, "是可执行程序"),
        ("证据.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "内容是PNG 图片，与文件扩展名不符"),
        ("大文件.pdf", b"%PDF-" + b"0" * (30 * 1024 * 1024), "超过 20 MB"),
        ("脚本.sh", b"#!/bin/sh\nrm -rf /\n", "是可执行程序"),
        ("表格.xlsx", b"\x01\x02\x03", "文件类型不受支持"),
    ],
)
def test_attachments_are_checked_by_content_and_size(name: str, content: bytes, message: str) -> None:
    city = build_city()
    data = PetitionInput(
        channel="letter", request="请求处理", region_code="990102", attachments=[UploadInput(name, content)]
    )
    problems = errors_of(
        lambda: register_petition(data, organ=city.bureau, actor=city.who(city.bureau, Role.REGISTRAR))
    )
    assert message in problems["attachments"][0] and name in problems["attachments"][0]


def test_good_attachments_are_stored_with_their_sm3_and_covered_by_the_chain() -> None:
    city = build_city()
    data = PetitionInput(
        channel="letter",
        request="请求处理",
        region_code="990102",
        attachments=[UploadInput("协议.pdf", PDF), UploadInput("说明.txt", "情况说明".encode())],
    )
    case = register_petition(data, organ=city.bureau, actor=city.who(city.bureau, Role.REGISTRAR))
    stored = list(case.petition.attachments.order_by("pk"))
    assert [(a.content_type, a.size) for a in stored] == [("application/pdf", len(PDF)), ("text/plain", 12)]
    assert stored[0].file.read() == PDF
    assert first_problem() is None
    type(stored[0]).objects.filter(pk=stored[0].pk).update(sm3="0" * 64)  # swapped outside the application
    problem = first_problem()
    assert problem is not None and f"信访件（id {case.petition_id}）" in problem.message


def test_the_repeat_keys_are_written_with_the_petition_or_not_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang.intake import services
    from xinfang.intake.models import RepeatKey

    city = build_city()
    case = register(city)
    assert RepeatKey.objects.filter(petition_id=case.petition_id).count() == 28  # one a band of the index

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("断电")  # the case could not be opened: nothing of the petition may stay behind

    monkeypatch.setattr(services, "start_case", fail)
    with pytest.raises(RuntimeError):
        register(city, request="请求查处化工厂夜间偷排废气")
    assert Petition.objects.count() == 1 and set(RepeatKey.objects.values_list("petition_id", flat=True)) == {
        case.petition_id
    }
