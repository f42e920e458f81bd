"""Fast bulk writes: COPY on PostgreSQL, executemany on SQLite, in one transaction per flush.

A writer process with its own connection does the writing, so that the database work runs on the
second core while the generator computes the next batch (a thread would fight the generator for the GIL).

Rows are tuples in the column order given here. Values are already in the form the database wants
(see `Formats`); the column lists are checked against the models so that a schema change fails loudly.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import time
from typing import Any

from django.db import connection

from xinfang.audit.models import Event
from xinfang.intake.models import Matter, Petition, RepeatKey
from xinfang.lifecycle.models import Case, Clock, Reminder
from xinfang.portal.models import FollowUp, Rating

# Written in this order inside each flush (foreign keys are deferred to commit on both databases).
TABLES: dict[str, tuple[type, tuple[str, ...]]] = {
    "event": (
        Event,
        (
            "id", "seq", "at", "actor_id", "actor_label", "organ_id", "case_id", "petition_id", "action",
            "from_state", "to_state", "basis", "payload", "petition_digest", "prev_hash", "hash",
        ),
    ),
    "matter": (Matter, ("id", "summary", "category", "region_code", "created_at", "final_at")),
    "petition": (
        Petition,
        (
            "id", "number", "channel", "received_at", "receiving_organ_id", "registered_by_id", "registered_at",
            "matter_id", "is_repeat", "name", "id_number", "address", "contact", "request", "facts", "reasons",
            "oral", "anonymous", "identity_unclear", "region_code", "collective", "headcount", "accused_organ_id",
            "id_number_index", "contact_index",
        ),
    ),
    "repeat_key": (RepeatKey, ("key", "petition_id")),
    "case": (
        Case,
        (
            "id", "petition_id", "matter_id", "organ_id", "acting_organ_id", "parent_id", "via", "state",
            "resume_state", "category", "received_at", "accepted_at", "review_organ_id", "re_review_organ_id",
            "outcome", "divert_target", "completion_report", "overdue", "supervised", "execution_monitoring",
            "leader_case", "major_urgent", "confidential_accusation", "extension_used", "version", "updated_at",
        ),
    ),
    "clock": (
        Clock,
        (
            "id", "case_id", "organ_id", "rule", "party", "start", "days", "due", "legal_last_day", "provisional",
            "basis", "pauses", "paused_since", "status", "overdue", "started_event_id", "stopped_event_id",
            "stopped_on",
        ),
    ),
    "reminder": (Reminder, ("id", "clock_id", "days_before", "remind_on", "queued_at", "delivered_at")),
    "rating": (Rating, ("id", "petition_id", "case_id", "organ_id", "aspect", "level", "reason", "created_at")),
    "follow_up": (
        FollowUp, ("id", "rating_id", "organ_id", "created_at", "outcome", "note", "recorded_by_id", "recorded_at")
    ),
}  # fmt: skip


# Derived columns some versions of the models have; the generator fills them when present.
OPTIONAL: dict[str, tuple[str, ...]] = {"petition": ("search_text",)}


class Formats:
    """How a value is handed to the database driver (SQLite stores datetimes as naive UTC text)."""

    def __init__(self, vendor: str) -> None:
        self.sqlite = vendor == "sqlite"

    def ts(self, value: dt.datetime | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    def day(self, value: dt.date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    @staticmethod
    def json(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)


class Sink:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.buffers: dict[str, list[tuple]] = {name: [] for name in TABLES}
        self.written: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.seconds: dict[str, float] = dict.fromkeys(TABLES, 0.0)
        self.process: Any = None
        self.pipe: Any = None
        self.answer: Any = None
        self.sql: dict[str, str] = {}
        self.extra: dict[str, tuple] = {}  # constant values for columns the generator does not know
        self.optional: set[tuple[str, str]] = set()
        for name, (model, known) in TABLES.items():
            fields = {f.attname: f for f in model._meta.concrete_fields}
            optional = tuple(a for a in OPTIONAL.get(name, ()) if a in fields)
            self.optional.update((name, a) for a in optional)
            unknown = sorted(set(known) - set(fields))
            if unknown:
                raise RuntimeError(f"bench/sink.py is out of date for {model.__name__}: no field {unknown}")
            others = [f for a, f in fields.items() if a not in known and a not in optional]
            for f in others:
                if not f.has_default() and not f.null:
                    raise RuntimeError(f"bench/sink.py does not know the required field {model.__name__}.{f.name}")
            self.extra[name] = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
            attnames = (*known, *optional, *(f.attname for f in others))
            columns = ", ".join(connection.ops.quote_name(fields[a].column) for a in attnames)
            table = connection.ops.quote_name(model._meta.db_table)
            if self.vendor == "postgresql":
                self.sql[name] = f"COPY {table} ({columns}) FROM STDIN"
            else:
                self.sql[name] = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(attnames))})"

    # --- indexes: dropped before the load and built once after it, as a database restore does ---------

    def defer_indexes(self) -> None:
        """Drop the secondary indexes, triggers (SQLite) and foreign keys (PostgreSQL) of the loaded tables.

        Their definitions are read back from the database and kept, so `restore_indexes` recreates
        exactly what the migrations made. SQLite still checks foreign keys row by row during the load.
        """
        tables = [model._meta.db_table for model, _ in TABLES.values()]
        marks = ", ".join(["%s"] * len(tables))
        self.deferred: list[tuple[str, str, str]] = []  # (kind, name, SQL to recreate)
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master "
                    f"WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({marks})",
                    tables,
                )
                for kind, name, _table, sql in cursor.fetchall():
                    cursor.execute(f"DROP {kind.upper()} {connection.ops.quote_name(name)}")
                    self.deferred.append((kind, name, sql))
            else:
                # Foreign keys, and the primary key of a table whose rows arrive in no order of it (repeat keys:
                # random 64-bit keys, 28 a petition), which is built once after the load instead of row by row.
                cursor.execute(
                    "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                    f"WHERE (c.contype = 'f' OR (c.contype = 'p' AND c.conrelid::regclass::text = %s)) "
                    f"AND c.conrelid::regclass::text IN ({marks}) ORDER BY c.contype DESC",
                    [RepeatKey._meta.db_table, *tables],
                )
                for table, name, definition in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
                    self.deferred.append(
                        ("constraint", name, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
                    )
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    f"WHERE i.indrelid::regclass::text IN ({marks}) AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                    tables,
                )
                for name, sql in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    self.deferred.insert(0, ("index", name, sql))  # indexes first: they serve the FK checks

    def restore_indexes(self, log: Any) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("PRAGMA threads=2")
                cursor.execute("PRAGMA cache_size=-1000000")
            else:
                cursor.execute("SET maintenance_work_mem = '1GB'")
            for _kind, _name, sql in self.deferred:
                cursor.execute(sql)
            if self.vendor == "sqlite":
                # External-content full-text tables over the loaded tables: build them from their content.
                tables = {model._meta.db_table for model, _ in TABLES.values()}
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
                )
                for name, sql in cursor.fetchall():
                    if any(f"content='{table}'" in sql.replace('"', "'") for table in tables):
                        cursor.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
        log(
            f"  rebuilt {len(self.deferred)} indexes, triggers and constraints in {time.perf_counter() - started:.0f} s"
        )

    def has(self, table: str, attname: str) -> bool:
        """Whether the optional column is there (the generator then appends its value to each row)."""
        return (table, attname) in self.optional

    def add(self, table: str, row: tuple) -> None:
        self.buffers[table].append(row)

    @property
    def pending(self) -> int:
        return sum(len(rows) for rows in self.buffers.values())

    @property
    def total(self) -> int:
        return sum(self.written.values())

    def flush(self) -> None:
        """Hand the buffered rows to the writer process; they are committed as one transaction."""
        if not self.pending:
            return
        if self.process is None:
            self._start()
        for name, rows in self.buffers.items():
            self.written[name] += len(rows)
        try:
            self.pipe.send(self.buffers)
        except (BrokenPipeError, EOFError):
            self._finish()  # raises the writer's error
        self.buffers = {name: [] for name in TABLES}

    def close(self) -> None:
        """Write what is left and wait for the writer."""
        self.flush()
        if self.process is not None:
            self.pipe.send(None)
            self._finish()

    def _start(self) -> None:
        connection.close()  # the writer must not share the parent's connection
        context = multiprocessing.get_context("fork")
        receive, self.pipe = context.Pipe(duplex=False)
        self.answer, send_answer = context.Pipe(duplex=False)
        self.process = context.Process(target=self._writer, args=(receive, send_answer), name="bench-writer")
        self.process.start()
        receive.close()
        send_answer.close()

    def _finish(self) -> None:
        assert self.process is not None
        try:
            error, seconds = self.answer.recv()
        except EOFError:
            error, seconds = "the writer process died", {}
        self.process.join()
        self.process = None
        self.seconds = seconds
        if error:
            raise RuntimeError(f"bench writer failed: {error}")

    def _writer(self, receive: Any, answer: Any) -> None:
        """In its own process and connection: the database works while the generator computes the next batch."""
        error = ""
        conn = connection.get_new_connection(connection.get_connection_params())
        try:
            if self.vendor == "sqlite":
                conn.isolation_level = None
                conn.execute("PRAGMA synchronous=OFF")
                conn.execute("PRAGMA cache_size=-1000000")
            else:
                conn.execute("SET synchronous_commit TO off")
                conn.commit()
            while (batch := receive.recv()) is not None:
                self._write_batch(conn, batch)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
            answer.send((error, self.seconds))
            os._exit(0)  # skip the inherited atexit handlers and Django's connection teardown

    def _write_batch(self, conn: Any, batch: dict[str, list[tuple]]) -> None:
        if self.vendor == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
        for name, rows in batch.items():
            if not rows:
                continue
            started = time.perf_counter()
            extra = self.extra[name]
            if extra:
                rows = [row + extra for row in rows]
            if self.vendor == "postgresql":
                with conn.cursor() as cursor, cursor.copy(self.sql[name]) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                conn.executemany(self.sql[name], rows)
            self.seconds[name] += time.perf_counter() - started
        if self.vendor == "sqlite":
            conn.execute("COMMIT")
        else:
            conn.commit()
