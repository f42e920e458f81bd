"""A real crash: the import runs in another process that is killed (SIGKILL) half way through; the resumed run
creates each good row exactly once and reports each bad row once. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import build_city
from xinfang.imports import services
from xinfang.imports.models import BatchStatus, ImportBatch, ImportItem, RowNote
from xinfang.org.models import Role

from .helpers import csv_bytes, good_row, hotline

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
WORKER = (
    "import django; django.setup(); from xinfang.imports.services import run_batch; run_batch({pk}, chunk_size=250)"
)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_killed_worker_then_resumed_imports_each_row_exactly_once():
    city = build_city()
    source = hotline(city)
    rows, bad = [], set()
    for n in range(1, 10_001):
        row = good_row(n)
        if n % 20 == 3:
            row[1] = "上周三"  # 500 rows (5%) with a time nobody can read
            bad.add(n + 1)
        rows.append(row)
    batch = services.upload_batch(
        source, file_name="12345.csv", content=csv_bytes(rows), actor=city.who(city.bureau, Role.REGISTRAR)
    )
    connection.close()  # let the worker write (SQLite: one writer at a time)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "XINFANG_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "xinfang.settings",
    }
    worker = subprocess.Popen([sys.executable, "-c", WORKER.format(pk=batch.pk)], cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    processed = 0
    while time.monotonic() < deadline and worker.poll() is None:
        processed = ImportBatch.objects.values_list("processed_rows", flat=True).get(pk=batch.pk)
        connection.close()
        if processed >= 4000:
            break
        time.sleep(0.02)
    assert worker.poll() is None, "the worker finished before it could be killed: make the file bigger"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING and 4000 <= batch.processed_rows < 10_000
    assert ImportItem.objects.count() < 9500
    print(f"\nkilled after {batch.processed_rows} committed rows; resuming")
    services.run_batch(batch.pk, chunk_size=250)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    ids = list(ImportItem.objects.values_list("external_id", flat=True))
    assert len(ids) == len(set(ids)) == 9500
    notes = list(RowNote.objects.values_list("row_number", flat=True))
    assert len(notes) == len(set(notes)) == 500 and set(notes) == bad
    assert (batch.created_count, batch.duplicate_count, batch.refused_count) == (9500, 0, 500)
