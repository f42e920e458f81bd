"""Issue 20's acceptance: 10,000 rows with 5% bad, killed half way and resumed, create each good row exactly once
and report each bad row; the whole import takes under a minute on this machine (the time is printed)."""

from __future__ import annotations

import time

import pytest

from tests.factories import at, build_city
from xinfang.imports import services
from xinfang.imports.models import BatchStatus, ImportItem, RowNote
from xinfang.org.models import Role

from .helpers import csv_bytes, good_row, hotline, xlsx_bytes

pytestmark = pytest.mark.django_db
NOW = at("2026-03-03")


class Killed(Exception):
    pass


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ten_thousand_rows_killed_half_way_and_resumed(monkeypatch, fmt):
    city = build_city()
    source = hotline(city)
    rows, bad = [], set()
    for n in range(1, 10_001):
        row = good_row(n)
        if n % 20 == 7:  # 500 rows, 5%: each lacks its request or has a malformed region
            if n % 40 == 7:
                row[2] = ""
            else:
                row[6] = "99-01"
            bad.add(n + 1)
        rows.append(row)
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    batch = services.upload_batch(
        source, file_name=f"12345.{fmt}", content=content, actor=city.who(city.bureau, Role.REGISTRAR), now=NOW
    )
    chunks = {"n": 0}

    def killed_in_the_eleventh_chunk(locked):
        chunks["n"] += 1
        if chunks["n"] == 11:
            raise Killed

    started = time.perf_counter()
    monkeypatch.setattr(services, "_after_chunk", killed_in_the_eleventh_chunk)
    with pytest.raises(Killed):
        services.run_batch(batch.pk, now=lambda: NOW)
    batch.refresh_from_db()
    assert batch.processed_rows == 5000 and batch.status == BatchStatus.RUNNING
    monkeypatch.setattr(services, "_after_chunk", lambda locked: None)
    services.run_batch(batch.pk, now=lambda: NOW)
    elapsed = time.perf_counter() - started
    print(f"\n10,000 {fmt} rows imported (with a crash and a resume) in {elapsed:.1f} s")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    ids = list(ImportItem.objects.values_list("external_id", flat=True))
    assert len(ids) == len(set(ids)) == 9500
    assert set(RowNote.objects.values_list("row_number", flat=True)) == bad
    assert (batch.created_count, batch.duplicate_count, batch.refused_count) == (9500, 0, 500)
    assert elapsed < 60
