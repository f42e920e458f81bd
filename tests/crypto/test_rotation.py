"""Key rotation: every value re-encrypted under the new key, still readable, the event chain still verifying."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import build_city, register
from xinfang.crypto.fields import TEST_KEY
from xinfang.crypto.keys import parse_keys
from xinfang.intake.models import AccusedParty, Petition, Representative
from xinfang.intake.selectors import repeat_candidates
from xinfang.intake.services import AccusedInput, RepresentativeInput

pytestmark = pytest.mark.django_db

NEW = "5a" * 16
IDS = ["11010519491231002X", "110101198001010010"]
COLUMNS = {
    "intake_petition": "id_number, contact, address, id_number_index, contact_index",
    "intake_representative": "id_number, contact",
    "intake_accusedparty": "person_name",
}


def snapshot() -> dict[str, list[tuple[str, ...]]]:
    result = {}
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")
            result[table] = list(cursor.fetchall())
    return result


def in_force() -> str:
    """The key the suite runs under (the test runner's fixed key)."""
    return os.environ.get("XINFANG_FIELD_KEY") or TEST_KEY


def command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def petitions() -> list[Petition]:
    city = build_city()
    cases = [
        register(
            city,
            id_number=number,
            contact=f"1390000000{n}",
            representatives=[RepresentativeInput("李某", IDS[1 - n], f"1370000000{n}")],
            accusation=True,
            accused=[AccusedInput(person_name=f"郑某{n}", person_organ_id=city.county_housing.pk)],
        )
        for n, number in enumerate(IDS)
    ]
    return [c.petition for c in cases]


def test_rotation_changes_every_ciphertext_and_keeps_every_value(
    petitions: list[Petition], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "审计校验通过" in command("audit_verify")
    before = snapshot()
    monkeypatch.setenv("XINFANG_FIELD_KEY", f"{NEW},{in_force()}")
    out = command("rotate_field_key", "--batch", "1")
    assert "intake.Petition：1/2" in out and "intake.Petition：2/2" in out  # progress per batch
    assert "共 2 行，重新加密 2 行" in out
    after = snapshot()
    new_id = parse_keys(NEW).current.key_id
    for table, rows in after.items():
        for old_row, new_row in zip(before[table], rows, strict=True):
            for old, new in zip(old_row, new_row, strict=True):
                assert old != new  # every ciphertext and every index changed
                assert new.startswith(f"sm4gcm${new_id}$") or len(new) == 64
    # The old key can go now: everything reads under the new key alone.
    monkeypatch.setenv("XINFANG_FIELD_KEY", NEW)
    assert [Petition.objects.get(pk=p.pk).id_number for p in petitions] == IDS
    assert sorted(Representative.objects.values_list("contact", flat=True)) == ["13700000000", "13700000001"]
    assert sorted(AccusedParty.objects.values_list("person_name", flat=True)) == ["郑某0", "郑某1"]
    assert [p.pk for p in repeat_candidates(id_number=IDS[1].lower())] == [petitions[1].pk]
    assert "审计校验通过" in command("audit_verify")


def test_a_second_run_changes_nothing(petitions: list[Petition], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINFANG_FIELD_KEY", f"{NEW},{in_force()}")
    command("rotate_field_key")
    rotated = snapshot()
    assert "共 2 行，重新加密 0 行" in command("rotate_field_key")
    assert snapshot() == rotated


def test_a_half_done_rotation_still_finds_the_person(
    petitions: list[Petition], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The new key is in force but the rows are still under the old one: hints search under every key.
    monkeypatch.setenv("XINFANG_FIELD_KEY", f"{NEW},{in_force()}")
    assert [p.pk for p in repeat_candidates(id_number=IDS[0])] == [petitions[0].pk]


def test_rotation_without_the_old_key_stops_with_a_clear_message(
    petitions: list[Petition], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot()
    monkeypatch.setenv("XINFANG_FIELD_KEY", NEW)
    with pytest.raises(CommandError, match=r"无法解密，已停止.*不在环境变量 XINFANG_FIELD_KEY 中"):
        command("rotate_field_key")
    assert snapshot() == before
