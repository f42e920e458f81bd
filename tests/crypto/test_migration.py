"""Migration 0005 encrypts the rows already there, and its reverse gives the plaintext back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import build_city
from xinfang.intake.models import Petition
from xinfang.intake.selectors import repeat_candidates, search

BEFORE, AFTER = [("intake", "0004_accusation")], [("intake", "0005_field_encryption")]
ID, PHONE, ADDRESS = "11010519491231002X", "13912345678", "甲县城关镇幸福路1号"


def migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor


def raw(sql: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_are_encrypted_and_indexed_and_search_still_works() -> None:
    city = build_city()
    executor = migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        now = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
        matters = old.get_model("intake", "Matter").objects
        matter = matters.create(summary="补偿款", region_code="990102", created_at=now)
        petition = old.get_model("intake", "Petition").objects.create(
            number="XF20260000001",
            channel="letter",
            received_at=now,
            registered_at=now,
            receiving_organ_id=city.bureau.pk,
            matter=matter,
            name="王某某",
            id_number=ID,
            contact=PHONE,
            address=ADDRESS,
            request="请求补发拖欠的房屋征收补偿款",
            region_code="990102",
            search_text="XF20260000001\n请求补发拖欠的房屋征收补偿款",
        )
        old.get_model("intake", "Representative").objects.create(petition=petition, name="李某", contact="137")
        assert raw("SELECT id_number, contact, address FROM intake_petition") == [(ID, PHONE, ADDRESS)]

        executor = migrate(AFTER)
        stored = raw("SELECT id_number, contact, address, id_number_index FROM intake_petition")[0]
        assert all(value.startswith("sm4gcm$") for value in stored[:3]) and len(stored[3]) == 64
        assert raw("SELECT contact FROM intake_representative")[0][0].startswith("sm4gcm$")
        again = Petition.objects.get(pk=petition.pk)
        assert (again.id_number, again.contact, again.address) == (ID, PHONE, ADDRESS)
        assert [p.pk for p in repeat_candidates(id_number=ID)] == [petition.pk]
        # The table was rebuilt on SQLite: the full-text triggers are back and search finds the text.
        Petition.objects.filter(pk=petition.pk).update(search_text="XF20260000001\n要求拆除违章搭建的彩钢房")
        assert [p.pk for p in search("违章搭建")] == [petition.pk]

        migrate(BEFORE)
        assert raw("SELECT id_number, contact, address FROM intake_petition") == [(ID, PHONE, ADDRESS)]
        if connection.vendor == "sqlite":
            triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'intake_petition_fts_%'"
            assert len(raw(triggers)) == 3
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
