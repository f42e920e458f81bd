"""Item 5 of issue 12 (backup and restore): `manage.py backup --out FILE` copies the live database, and
`manage.py restore FILE` into a fresh database gives back the same rows; `audit_verify` passes there."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from tests.factories import at, build_city, register
from tests.portal.helpers import accept, serve_opinion
from xinfang.audit.models import Event
from xinfang.intake.models import Petition
from xinfang.lifecycle.models import Case
from xinfang.ops.backup import BackupError, Manifest, manifest_path, restore

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XINFANG_DEBUG": "1",
        "XINFANG_FIELD_KEY": os.environ.get("XINFANG_FIELD_KEY", "00112233445566778899aabbccddeeff"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("XINFANG_TESTING", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, check=False
    )


def some_petitions() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        cases = [register(city, city.county_housing, channel=c) for c in ("letter", "visit", "online")]
    with time_machine.travel(at("2026-03-05"), tick=False):
        case = accept(city, cases[0])
    with time_machine.travel(at("2026-04-10"), tick=False):
        serve_opinion(city, case, dt.date(2026, 4, 10))


def fresh_target(tmp_path: Path) -> tuple[str, object]:
    """A DATABASE_URL for an empty database of the same kind, and a function that drops it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import psycopg

    cfg = connection.settings_dict
    name = f"xinfang_restore_{os.getpid()}"
    params = dict(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                  password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**params) as admin:  # type: ignore[arg-type]
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**params) as admin:  # type: ignore[arg-type]
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = f"{cfg['USER']}:{cfg['PASSWORD']}@" if cfg["PASSWORD"] else f"{cfg['USER']}@"
    return f"postgres://{auth}{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{name}", drop


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_and_a_verifying_chain(tmp_path: Path) -> None:
    some_petitions()
    expected = {
        "intake_petition": Petition.objects.count(),
        "lifecycle_case": Case.objects.count(),
        "audit_event": Event.objects.count(),
    }
    assert expected["intake_petition"] == 3 and expected["audit_event"] > 10
    out = tmp_path / "xinfang.bak"
    call_command("backup", out=str(out))
    manifest = Manifest.load(manifest_path(out))
    assert {t: manifest.counts[t] for t in expected} == expected
    assert manifest.chain_seq == Event.objects.order_by("-seq").first().seq  # type: ignore[union-attr]

    target, drop = fresh_target(tmp_path)
    try:
        restored = manage("restore", str(out), database_url=target)
        assert restored.returncode == 0, restored.stderr
        assert "审计校验通过" in restored.stdout
        verified = manage("audit_verify", database_url=target)
        assert verified.returncode == 0 and f"{expected['audit_event']} 个事件" in verified.stdout
        if connection.vendor == "sqlite":  # counted outside Django, straight from the restored file
            with sqlite3.connect(target.removeprefix("sqlite:///")) as raw:
                assert raw.execute("SELECT COUNT(*) FROM intake_petition").fetchone()[0] == 3
        again = manage("restore", str(out), database_url=target)  # never over an existing database
        assert again.returncode != 0 and "不是空的" in again.stderr
    finally:
        drop()  # type: ignore[operator]


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    some_petitions()
    out = tmp_path / "xinfang.bak"
    call_command("backup", out=str(out))
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="SM3 与清单不符"):
        restore(out)
