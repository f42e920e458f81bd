"""Backup and restore of the whole database: SQLite through its online backup API, PostgreSQL with pg_dump and
pg_restore. A backup is one file plus a manifest (`FILE.manifest.json`) that records, from the same snapshot as
the copy, the row counts of the records that matter, the head of the event chain and the SM3 of the file; a
restore goes only into a fresh (empty) database and is then checked against the manifest and `audit_verify`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from xinfang.audit.chain import sm3_hex

# Table names, not models: the counts are read from a SQLite file or a PostgreSQL snapshot outside the ORM.
COUNTED = (
    "intake_petition",
    "intake_attachment",
    "intake_representative",
    "lifecycle_case",
    "lifecycle_clock",
    "audit_event",
    "documents_document",
    "portal_querycode",
    "auth_user",
)


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why, in Chinese."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created_at: str
    counts: dict[str, int]
    chain_seq: int
    chain_hash: str
    sm3: str

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as error:
            raise BackupError(f"无法读取备份清单 {path.name}：{error}") from error


def manifest_path(file: Path) -> Path:
    return file.with_name(file.name + ".manifest.json")


def _file_sm3(path: Path) -> str:
    return sm3_hex(path.read_bytes())


def _counts(cursor: Any) -> tuple[dict[str, int], int, str]:
    counts = {}
    for table in COUNTED:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # names from COUNTED above, never from input
        counts[table] = int(cursor.fetchone()[0])
    cursor.execute("SELECT last_seq, last_hash FROM audit_chainhead WHERE id = 1")
    head = cursor.fetchone()
    return counts, int(head[0]) if head else 0, str(head[1]) if head else ""


def _pg_env(settings: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[var] = str(settings[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[:500]}")


def backup(out: Path, alias: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Copy the live database to ``out`` without stopping the site, and write its manifest next to it."""
    connection = connections[alias]
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(tmp)
        try:
            connection.connection.backup(target)
            counts, seq, head = _counts(target.cursor())
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        counts, seq, head = _pg_dump(connection.settings_dict, tmp)
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    os.replace(tmp, out)
    manifest = Manifest(connection.vendor, timezone.now().isoformat(), counts, seq, head, _file_sm3(out))
    manifest.dump(manifest_path(out))
    return manifest


def _pg_dump(settings: dict[str, Any], tmp: Path) -> tuple[dict[str, int], int, str]:
    """pg_dump from an exported snapshot, so the counts in the manifest are exactly those of the dump."""
    import psycopg

    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
    ) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot is not None
        with conn.cursor() as cursor:
            counts, seq, head = _counts(cursor)
        command = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot[0]}", f"--file={tmp}"]
        _run([*command, str(settings["NAME"])], _pg_env(settings))
        conn.execute("COMMIT")
    return counts, seq, head


def _sqlite_is_fresh(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


def restore(file: Path, alias: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Restore ``file`` into the (fresh) database of ``alias``, check the file against its manifest first and the
    restored rows against it after. Returns the manifest; raises BackupError naming the first mismatch."""
    file = file.resolve()
    if not file.exists():
        raise BackupError(f"备份文件不存在：{file}")
    manifest = Manifest.load(manifest_path(file))
    if _file_sm3(file) != manifest.sm3:
        raise BackupError("备份文件的 SM3 与清单不符：文件已损坏或被改动")
    connection = connections[alias]
    if connection.vendor != manifest.vendor:
        raise BackupError(f"备份来自 {manifest.vendor}，不能恢复到 {connection.vendor}")
    connection.close()
    if connection.vendor == "sqlite":
        target_path = Path(connection.settings_dict["NAME"])
        if not _sqlite_is_fresh(target_path):
            raise BackupError(f"目标数据库不是空的：{target_path}。只能恢复到新的空数据库")
        source, target = sqlite3.connect(file), sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
            if cursor.fetchone()[0]:
                raise BackupError(f"目标数据库不是空的：{connection.settings_dict['NAME']}。只能恢复到新的空数据库")
        connection.close()
        settings = connection.settings_dict
        command = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={settings['NAME']}", str(file)]
        _run(command, _pg_env(settings))
    with connection.cursor() as cursor:
        counts, seq, head = _counts(cursor)
    if counts != manifest.counts:
        wrong = [f"{t}: {counts.get(t)} ≠ {n}" for t, n in manifest.counts.items() if counts.get(t) != n]
        raise BackupError("恢复后的行数与清单不符：" + "；".join(wrong))
    if (seq, head) != (manifest.chain_seq, manifest.chain_hash):
        raise BackupError("恢复后的事件链链头与清单不符")
    return manifest


def scratch_name(prefix: str = "xinfang-backup-") -> Path:
    """A file name for a backup in the temporary directory (used by tests and the resilience scripts)."""
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".bak")
    os.close(handle)
    os.unlink(name)
    return Path(name)
