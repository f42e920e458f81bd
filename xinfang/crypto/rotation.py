"""Re-encryption of every encrypted column under the current key, in batches, each batch in a transaction.

Used by the data migration (plaintext rows are encrypted) and by ``manage.py rotate_field_key`` (rows under an
older key of the ring are re-encrypted and their blind indexes recomputed). Rows already under the current key
are left alone, so a run that stops half-way is simply run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction

from .cipher import decrypt, encrypt, is_encrypted, key_id_of
from .fields import BlindIndexField, EncryptedCharField
from .keys import KeyRing

Progress = Callable[[str, int, int], None]


@dataclass
class Tally:
    rows: int = 0
    changed: int = 0
    raced: int = 0  # rows written by the application meanwhile (already under the current key)


def encrypted_models(models: Any) -> list[Any]:
    return [m for m in models if any(isinstance(f, EncryptedCharField) for f in m._meta.local_fields)]


def _plain(ring: KeyRing, field: EncryptedCharField, raw: str | None) -> str:
    if not raw:
        return raw or ""
    return decrypt(ring, raw, field.context) if is_encrypted(raw) else raw


def _wanted(ring: KeyRing, field: EncryptedCharField, raw: str | None, plain: str, decrypting: bool) -> str | None:
    if not raw:
        return raw
    if decrypting:
        return plain
    if is_encrypted(raw) and key_id_of(raw) == ring.current.key_id:
        return raw
    return encrypt(ring.current, plain, field.context)


def reencrypt(
    model: Any,
    ring: KeyRing,
    *,
    batch: int = 500,
    progress: Progress | None = None,
    using: str = "default",
    decrypting: bool = False,
) -> Tally:
    """Bring every row of ``model`` under the ring's current key (or back to plaintext when ``decrypting``)."""
    meta = model._meta
    encrypted = [f for f in meta.local_fields if isinstance(f, EncryptedCharField)]
    indexes = [f for f in meta.local_fields if isinstance(f, BlindIndexField)]
    by_attname = {f.attname: f for f in encrypted}
    connection = connections[using]
    q = connection.ops.quote_name
    columns = [f.column for f in encrypted + indexes]
    table, pk = q(meta.db_table), q(meta.pk.column)
    select = f"SELECT {pk}, {', '.join(q(c) for c in columns)} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        total = cursor.fetchone()[0]
    tally, last = Tally(), 0
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(select, [last, batch])
            rows = cursor.fetchall()
            for row in rows:
                last, old = row[0], dict(zip(columns, row[1:], strict=True))
                plain = {f.attname: _plain(ring, f, old[f.column]) for f in encrypted}
                new = {f.column: _wanted(ring, f, old[f.column], plain[f.attname], decrypting) for f in encrypted}
                for field in indexes:
                    source = plain[field.source] if field.source in by_attname else ""
                    new[field.column] = "" if decrypting else field.index_under(ring.current, source)
                changed = [c for c in columns if new[c] != old[c]]
                if changed:
                    sets = ", ".join(f"{q(c)} = %s" for c in changed)
                    same = " AND ".join(f"{q(c)} = %s" for c in changed)
                    cursor.execute(
                        f"UPDATE {table} SET {sets} WHERE {pk} = %s AND {same}",
                        [new[c] for c in changed] + [last] + [old[c] for c in changed],
                    )
                    tally.changed += cursor.rowcount
                    tally.raced += 1 - cursor.rowcount
            tally.rows += len(rows)
        if progress is not None:
            progress(meta.label, tally.rows, total)
        if len(rows) < batch:
            return tally
