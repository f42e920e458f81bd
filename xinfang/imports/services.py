"""Writes of the imports app: sources and their mapping, uploads, the (resumable) run, verification and refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.audit.chain import sm3_hex
from xinfang.audit.services import record_event
from xinfang.intake.services import register_petition
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff

from .mapping import FIELDS, RowResult, check_row, mapping_problems, parse_time, petition_input
from .models import (
    BatchStatus,
    ImportBatch,
    ImportItem,
    ImportSource,
    ItemStatus,
    NoteKind,
    RowNote,
    split_encrypted,
)
from .reading import read_table

CHUNK_SIZE = 500
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _after_chunk(batch: ImportBatch) -> None:
    """Called inside each chunk's transaction after its writes; tests replace it to simulate a crash."""


def create_source(
    *,
    organ: Organ,
    name: str,
    kind: str,
    channel: str,
    default_region_code: str,
    actor: Staff,
    now: dt.datetime | None = None,
) -> ImportSource:
    now = now or timezone.now()
    source = ImportSource(
        organ=organ,
        name=name.strip(),
        kind=kind,
        channel=channel,
        default_region_code=default_region_code,
        created_at=now,
    )
    source.full_clean()
    with transaction.atomic():
        source.save()
        record_event(
            action="import_source_created",
            at=now,
            actor=actor.user,
            actor_label=str(actor),
            organ=organ,
            payload={"source": source.pk, "name": source.name, "kind": kind},
        )
    return source


def save_mapping(
    source: ImportSource, mapping: dict[str, str], *, actor: Staff, now: dt.datetime | None = None
) -> None:
    """Save the column mapping once per source; later files of the same source reuse it."""
    now = now or timezone.now()
    known = {f.name for f in FIELDS}
    clean = {k: v.strip() for k, v in mapping.items() if k in known and v and v.strip()}
    with transaction.atomic():
        ImportSource.objects.filter(pk=source.pk).update(mapping=clean)
        source.mapping = clean
        record_event(
            action="import_mapping_saved",
            at=now,
            actor=actor.user,
            actor_label=str(actor),
            organ=source.organ,
            payload={"source": source.pk, "mapping": clean},
        )


def upload_batch(
    source: ImportSource, *, file_name: str, content: bytes, actor: Staff, now: dt.datetime | None = None
) -> ImportBatch:
    """Store an uploaded file; refuse (naming the problem) a file that is too big or cannot be read."""
    now = now or timezone.now()
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": f"「文件」不能超过{MAX_UPLOAD_BYTES // 1024 // 1024} MB"})
    try:
        table = read_table(file_name, content)
    except ValueError as exc:
        raise ValidationError({"file": f"「文件」{exc}"}) from exc
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=source,
            file_name=file_name[:200],
            content=content,
            sm3=sm3_hex(content),
            uploaded_by=actor,
            uploaded_at=now,
            total_rows=len(table.rows),
        )
        record_event(
            action="import_uploaded",
            at=now,
            actor=actor.user,
            actor_label=str(actor),
            organ=source.organ,
            payload={"batch": batch.pk, "file": batch.file_name, "sm3": batch.sm3, "rows": batch.total_rows},
        )
    return batch


def queue_batch(batch: ImportBatch, *, actor: Staff, now: dt.datetime | None = None) -> bool:
    """Mark the real run, or its resumption, as queued; False if the batch is done. Refused while the mapping does
    not fit. `tasks.start_batch` calls this and enqueues the worker's run once it commits."""
    now = now or timezone.now()
    table = read_table(batch.file_name, bytes(batch.content))
    problems = mapping_problems(batch.source, table.headers)
    if problems:
        raise ValidationError({"mapping": problems})
    with transaction.atomic():
        # Any batch not done may be (re)started: a worker that died leaves it RUNNING, and a second worker on the
        # same batch is harmless (each chunk is taken under the batch's row lock, at the committed offset).
        updated = (
            ImportBatch.objects.filter(pk=batch.pk)
            .exclude(status=BatchStatus.DONE)
            .update(status=BatchStatus.QUEUED, error="")
        )
        if updated:
            record_event(
                action="import_queued",
                at=now,
                actor=actor.user,
                actor_label=str(actor),
                organ=batch.source.organ,
                payload={"batch": batch.pk},
            )
    return bool(updated)


def _chunk(batch: ImportBatch, results: list[RowResult], now: dt.datetime) -> tuple[int, int, int]:
    """Write one chunk's items and notes; return (created, duplicates, refused)."""
    ids = [r.external_id for r in results if not r.problems]
    earlier = dict(
        ImportItem.objects.filter(source=batch.source, external_id__in=ids).values_list("external_id", "batch_id")
    )
    items: list[ImportItem] = []
    notes: list[RowNote] = []
    seen: dict[str, int] = {}
    for r in results:
        if r.problems:
            notes.extend(
                RowNote(batch=batch, row_number=r.row_number, kind=NoteKind.REFUSED, field=name, message=message)
                for name, message in r.problems
            )
        elif r.external_id in earlier or r.external_id in seen:
            if r.external_id in earlier:
                why = f"已导入过（第{earlier[r.external_id]}批），不重复导入"
            else:
                why = f"与本文件第{seen[r.external_id]}行重复"
            notes.append(
                RowNote(
                    batch=batch,
                    row_number=r.row_number,
                    kind=NoteKind.DUPLICATE,
                    field="external_id",
                    message=f"「来源编号」{r.external_id} {why}",
                )
            )
        else:
            seen[r.external_id] = r.row_number
            plain, encrypted = split_encrypted(r.data)
            items.append(
                ImportItem(
                    source=batch.source,
                    batch=batch,
                    row_number=r.row_number,
                    external_id=r.external_id,
                    data=plain,
                    imported_at=now,
                    **encrypted,
                )
            )
    ImportItem.objects.bulk_create(items)
    RowNote.objects.bulk_create(notes)
    refused = len({n.row_number for n in notes if n.kind == NoteKind.REFUSED})
    return len(items), len(results) - len(items) - refused, refused


def run_batch(batch_id: int, *, chunk_size: int | None = None, now: Callable[[], dt.datetime] = timezone.now) -> None:
    """Import a batch from where its last committed chunk ended; running it again after completion does nothing."""
    chunk_size = chunk_size or CHUNK_SIZE
    batch = ImportBatch.objects.select_related("source__organ").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return
    table = read_table(batch.file_name, bytes(batch.content))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, total_rows=len(table.rows), started_at=batch.started_at or now()
    )
    start = batch.processed_rows
    for offset in range(start, len(table.rows), chunk_size):
        rows = table.rows[offset : offset + chunk_size]
        at = now()
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.processed_rows != offset:  # another worker got here first
                return
            results = [check_row(batch.source, table.headers, row, offset + i + 2, at) for i, row in enumerate(rows)]
            created, duplicates, refused = _chunk(locked, results, at)
            locked.processed_rows = offset + len(rows)
            locked.created_count += created
            locked.duplicate_count += duplicates
            locked.refused_count += refused
            locked.save(update_fields=["processed_rows", "created_count", "duplicate_count", "refused_count"])
            _after_chunk(locked)
    with transaction.atomic():
        done = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if done.status == BatchStatus.DONE:
            return
        done.status = BatchStatus.DONE
        done.finished_at = now()
        done.save(update_fields=["status", "finished_at"])
        record_event(
            action="import_done",
            at=done.finished_at,
            organ=batch.source.organ,
            payload={
                "batch": done.pk,
                "created": done.created_count,
                "duplicates": done.duplicate_count,
                "refused": done.refused_count,
            },
        )


def mark_failed(batch_id: int, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).exclude(status=BatchStatus.DONE).update(
        status=BatchStatus.FAILED, error=error[:2000]
    )


def receive_item(
    source: ImportSource, *, external_id: str, data: dict[str, str], now: dt.datetime | None = None
) -> ImportItem:
    """One item pushed by a partner system (Open311): it waits in the same queue as imported rows."""
    now = now or timezone.now()
    with transaction.atomic():
        plain, encrypted = split_encrypted(data)
        item = ImportItem.objects.create(
            source=source, external_id=external_id, data=plain, imported_at=now, **encrypted
        )
        record_event(
            action="import_received",
            at=now,
            organ=source.organ,
            payload={"source": source.pk, "item": item.pk, "external_id": external_id},
        )
    return item


def verify_item(
    item: ImportItem,
    *,
    actor: Staff,
    accusation: bool = False,
    matter_id: int | None = None,
    now: dt.datetime | None = None,
) -> Case:
    """Register a verified item as a petition of the source's organ, with the source's channel (视同信访事项)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = ImportItem.objects.select_for_update().select_related("source__organ").get(pk=item.pk)
        if locked.status != ItemStatus.PENDING:
            raise ValidationError({"status": f"该事项{locked.get_status_display()}，不能再次核实"})
        received = parse_time(locked.data.get("received_at", ""))
        data = petition_input(locked.source, locked.fields, None)
        data.received_at = min(locked.imported_at, now) if received is None else min(received, now)
        data.accusation = accusation
        data.matter_id = matter_id  # a repeat petition joins the matter the officer chose
        case = register_petition(data, organ=locked.source.organ, actor=actor, now=now)
        locked.status = ItemStatus.VERIFIED
        locked.decided_by = actor
        locked.decided_at = now
        locked.petition = case.petition
        locked.save(update_fields=["status", "decided_by", "decided_at", "petition"])
        record_event(
            action="import_verified",
            at=now,
            actor=actor.user,
            actor_label=str(actor),
            organ=locked.source.organ,
            case_id=case.pk,
            petition_id=case.petition_id,
            payload={"source": locked.source.name, "external_id": locked.external_id, "channel": data.channel},
        )
    item.refresh_from_db()
    return case


def refuse_item(item: ImportItem, *, actor: Staff, reason: str, now: dt.datetime | None = None) -> None:
    """Record that a verified item is not a petition, and why."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "「不予转为信访件的理由」不能为空"})
    with transaction.atomic():
        locked = ImportItem.objects.select_for_update().select_related("source__organ").get(pk=item.pk)
        if locked.status != ItemStatus.PENDING:
            raise ValidationError({"status": f"该事项{locked.get_status_display()}，不能再作处理"})
        locked.status = ItemStatus.REFUSED
        locked.decided_by = actor
        locked.decided_at = now
        locked.refusal_reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        record_event(
            action="import_refused",
            at=now,
            actor=actor.user,
            actor_label=str(actor),
            organ=locked.source.organ,
            payload={"source": locked.source.name, "external_id": locked.external_id, "reason": locked.refusal_reason},
        )
    item.refresh_from_db()
