"""Personal data at rest: ciphertext in the table, plaintext through the models, found by blind index."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import Client

from tests.factories import City, build_city, register
from xinfang.crypto.cipher import DecryptionError
from xinfang.intake.models import AccusedParty, Petition, Representative
from xinfang.intake.selectors import repeat_candidates
from xinfang.intake.services import AccusedInput, RepresentativeInput
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
PHONE = "13912345678"
ADDRESS = "甲县城关镇幸福路1号"
REP_ID, REP_PHONE = "110101198001010010", "13700001111"


def raw(sql: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


@pytest.fixture
def city() -> City:
    return build_city()


@pytest.fixture
def petition(city: City) -> Petition:
    case = register(
        city,
        id_number=ID.lower(),
        contact=PHONE,
        address=ADDRESS,
        representatives=[RepresentativeInput("李某", REP_ID, REP_PHONE)],
        accusation=True,
        accused=[AccusedInput(person_name="郑某某", person_organ_id=city.county_housing.pk)],
    )
    return case.petition


def test_the_raw_table_holds_no_id_number_phone_or_address(petition: Petition) -> None:
    rows = raw("SELECT id_number, contact, address FROM intake_petition")
    assert len(rows) == 1
    stored = "|".join(rows[0])
    for secret in (ID, ID.lower(), PHONE, ADDRESS, "幸福路", "1949123"):
        assert secret not in stored
    assert all(value.startswith("sm4gcm$") for value in rows[0])
    rep = "|".join(raw("SELECT id_number, contact FROM intake_representative")[0])
    assert REP_ID not in rep and REP_PHONE not in rep and rep.count("sm4gcm$") == 2
    (accused,) = raw("SELECT person_name FROM intake_accusedparty")[0]
    assert "郑" not in accused and accused.startswith("sm4gcm$")


def test_the_models_read_the_plaintext(petition: Petition) -> None:
    again = Petition.objects.get(pk=petition.pk)
    assert (again.id_number, again.contact, again.address) == (ID, PHONE, ADDRESS)
    assert list(Representative.objects.values_list("id_number", "contact")) == [(REP_ID, REP_PHONE)]
    assert AccusedParty.objects.get().person_name == "郑某某"


def test_an_empty_value_stays_empty_and_can_be_filtered(petition: Petition) -> None:
    Petition.objects.filter(pk=petition.pk).update(address="")
    assert raw("SELECT address FROM intake_petition") == [("",)]
    assert Petition.objects.filter(address="").count() == 1


def test_filtering_an_encrypted_column_by_value_is_refused(petition: Petition) -> None:
    with pytest.raises(FieldError, match="加密字段「证件号码」不能按内容查询"):
        Petition.objects.filter(id_number=ID).count()
    with pytest.raises(FieldError):
        Petition.objects.filter(contact__icontains="139").count()


def test_a_value_tampered_in_the_database_is_refused_on_reading(petition: Petition) -> None:
    (token,) = raw("SELECT contact FROM intake_petition")[0]
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petition SET contact = %s", [forged])
    with pytest.raises(DecryptionError, match=r"intake_petition\.contact：密文校验失败，数据在数据库中被篡改"):
        Petition.objects.get(pk=petition.pk)


def test_a_value_copied_from_another_column_is_refused(petition: Petition) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petition SET contact = id_number")
    with pytest.raises(DecryptionError, match="被篡改"):
        Petition.objects.get(pk=petition.pk)


def test_plaintext_written_behind_the_applications_back_is_refused(petition: Petition) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE intake_petition SET id_number = %s", [ID])
    with pytest.raises(DecryptionError, match="存储的值不是本系统的密文格式"):
        Petition.objects.get(pk=petition.pk)


def test_reading_with_a_wrong_key_is_a_clear_error(petition: Petition, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINFANG_FIELD_KEY", "33" * 16)
    with pytest.raises(DecryptionError, match="不在环境变量 XINFANG_FIELD_KEY 中，无法解密"):
        Petition.objects.get(pk=petition.pk)


def test_the_blind_index_finds_the_person(petition: Petition) -> None:
    (index,) = raw("SELECT id_number_index FROM intake_petition")[0]
    assert len(index) == 64 and ID not in index
    assert [p.pk for p in repeat_candidates(id_number=" 11010519491231002x ")] == [petition.pk]
    assert [p.pk for p in repeat_candidates(name="王某某", contact="139-1234-5678")] == [petition.pk]
    assert repeat_candidates(id_number="110105194912310021") == []
    assert repeat_candidates(name="别人", contact=PHONE) == []


def test_repeat_hints_by_person_through_the_workspace(city: City, petition: Petition) -> None:
    clerk = Client()
    clerk.force_login(city.who(city.bureau, Role.REGISTRAR).user)
    numbers = [r["number"] for r in clerk.get("/work/hints/", {"id_number": ID.lower()}).json()["results"]]
    assert numbers == [petition.number]
    by_phone = clerk.get("/work/hints/", {"name": "王某某", "contact": PHONE}).json()["results"]
    assert [r["number"] for r in by_phone] == [petition.number]
    assert clerk.get("/work/hints/", {"id_number": REP_ID}).json()["results"] == []
