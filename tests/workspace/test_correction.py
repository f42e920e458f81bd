"""Correcting a registration (issue 18, item 9): a reason, old and new values in the event, the chain verifies."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import at, build_city, client_for, register
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.intake.digest import petition_digest
from xinfang.intake.masking import correction_index
from xinfang.intake.models import Petition
from xinfang.intake.services import CorrectionRefused, correct_registration
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

GOOD_ID = "11010519491231002X"  # GB 11643 example: checksum X
TYPO_ID = "110105194912310021"  # one digit off: wrong checksum



def test_a_correction_records_old_and_new_and_a_new_digest_so_the_chain_still_verifies() -> None:
    city = build_city()
    case = register(city, request="请求补发拖欠的房屋证收补偿款", address="甲县城关镇辛福路1号")
    registrar = city.who(city.bureau, Role.REGISTRAR)
    before = petition_digest(case.petition)
    with time_machine.travel(at("2026-03-03"), tick=False):
        event = correct_registration(
            case,
            registrar,
            {"request": "请求补发拖欠的房屋征收补偿款", "address": "甲县城关镇幸福路1号", "name": "王某某"},
            "登记时笔误",
        )
    petition = Petition.objects.get(pk=case.petition_id)
    assert petition.request == "请求补发拖欠的房屋征收补偿款" and petition.address == "甲县城关镇幸福路1号"
    assert "征收" in petition.search_text
    payload = event.payload
    # The request is not personal data: old and new in clear. The name did not change: not recorded.
    assert payload["request_old"] == "请求补发拖欠的房屋证收补偿款"
    assert payload["request_new"] == "请求补发拖欠的房屋征收补偿款"
    assert payload["correction_reason"] == "登记时笔误" and payload["corrected_fields"] == "诉求、住址"
    assert "name_old" not in payload
    # The address is personal data: masked in the event, confirmable through the keyed index only.
    assert payload["address_old"] == "甲县城关镇****" and payload["address_new"] == "甲县城关镇****"
    assert "辛福路" not in str(payload) and "幸福路" not in str(payload)
    assert payload["address_old_index"] == correction_index("address", "甲县城关镇辛福路1号")
    assert payload["address_new_index"] == correction_index("address", "甲县城关镇幸福路1号")
    assert payload["address_old_index"] != payload["address_new_index"]
    # A new recorded digest, not a silent change: the chain verifies, and a change outside the app is caught.
    assert event.petition_digest == petition_digest(petition) != before
    assert first_problem() is None
    Petition.objects.filter(pk=petition.pk).update(request="别的内容")
    problem = first_problem()
    assert problem is not None and problem.seq == event.seq


def test_id_number_and_phone_are_masked_and_the_blind_indexes_follow_the_correction() -> None:
    city = build_city()
    case = register(city, contact="13800000000")  # registered without the ID number
    triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
    event = correct_registration(case, triage, {"id_number": GOOD_ID.lower(), "contact": "13900001234"}, "证件号漏登")
    petition = Petition.objects.get(pk=case.petition_id)
    assert petition.id_number == GOOD_ID and petition.contact == "13900001234"
    assert event.payload["id_number_old"] == "（空）" and event.payload["id_number_new"] == "110***********002X"
    assert event.payload["contact_old"] == "138****0000" and event.payload["contact_new"] == "139****1234"
    assert GOOD_ID not in str(event.payload) and "13900001234" not in str(event.payload)
    found = client_for(triage).get("/work/cases/", {"q": GOOD_ID}).content.decode()
    assert petition.number in found  # searchable by the corrected ID number through its blind index
    assert first_problem() is None


def test_the_reason_is_required_and_bad_values_are_named() -> None:
    city = build_city()
    case = register(city)
    registrar = city.who(city.bureau, Role.REGISTRAR)
    with pytest.raises(ValidationError) as refused:
        correct_registration(case, registrar, {"request": "", "id_number": TYPO_ID}, "  ")
    errors = refused.value.message_dict
    assert "更正理由" in errors["reason"][0] and "诉求" in errors["request"][0] and "校验位" in errors["id_number"][0]
    with pytest.raises(ValidationError) as unchanged:
        correct_registration(case, registrar, {"request": case.petition.request}, "笔误")
    assert "没有需要更正的内容" in str(unchanged.value)
    assert not Event.objects.filter(action="correct_registration").exists()


def test_only_registering_staff_may_correct() -> None:
    city = build_city()
    case = register(city)
    with pytest.raises(CorrectionRefused, match="登记员"):
        correct_registration(case, city.who(city.bureau, Role.HANDLER), {"request": "改"}, "笔误")
    with pytest.raises(CorrectionRefused, match="登记机关"):
        correct_registration(case, city.who(city.county_bureau, Role.REGISTRAR), {"request": "改"}, "笔误")


def test_an_anonymous_petition_cannot_be_given_an_identity_by_correction() -> None:
    city = build_city()
    case = register(city, anonymous=True)
    with pytest.raises(ValidationError, match="匿名"):
        correct_registration(case, city.who(city.bureau, Role.REGISTRAR), {"name": "张三"}, "补登")


def test_the_correction_page_refuses_without_a_reason_and_shows_the_change_in_the_timeline() -> None:
    city = build_city()
    case = register(city, request="请求补发拖欠的房屋证收补偿款")
    client = client_for(city.who(city.bureau, Role.REGISTRAR))
    page = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert f"/work/cases/{case.pk}/correct/" in page
    form = client.get(f"/work/cases/{case.pk}/correct/").content.decode()
    assert "请求补发拖欠的房屋证收补偿款" in form and "更正理由" in form
    fields = {
        "name": "王某某",
        "address": "甲县城关镇幸福路1号",
        "contact": "13800000000",
        "request": "请求补发拖欠的房屋征收补偿款",
        "facts": case.petition.facts,
        "reasons": case.petition.reasons,
    }
    refused = client.post(f"/work/cases/{case.pk}/correct/", {**fields, "reason": ""})
    assert refused.status_code == 400 and "「更正理由」不能为空" in refused.content.decode()
    assert 'data-testid="error-summary"' in refused.content.decode()
    done = client.post(f"/work/cases/{case.pk}/correct/", {**fields, "reason": "登记时笔误"}, follow=True)
    timeline = done.content.decode().split('data-testid="timeline"')[1]
    assert "更正登记内容" in timeline and "更正理由" in timeline and "登记时笔误" in timeline
    assert "原诉求" in timeline and "房屋证收" in timeline and "更正后诉求" in timeline
    assert "_index" not in timeline
    handler = client_for(city.who(city.bureau, Role.HANDLER))
    assert f"/work/cases/{case.pk}/correct/" not in handler.get(f"/work/cases/{case.pk}/").content.decode()
    assert handler.get(f"/work/cases/{case.pk}/correct/").status_code == 403
