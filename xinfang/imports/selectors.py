"""Reads of the imports app, scoped to the staff member's organ."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.intake.selectors import repeat_candidates
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Role, Staff

from .mapping import RowResult, check_row, mapping_problems
from .models import ImportBatch, ImportItem, ImportSource, ItemStatus
from .reading import Table, read_table

IMPORT_ROLES = frozenset({Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.ADMINISTRATOR})
VERIFY_ROLES = frozenset({Role.TRIAGE_OFFICER})


def may_import(staff: Staff) -> bool:
    return bool(IMPORT_ROLES & set(staff.roles))


def may_verify(staff: Staff) -> bool:
    return bool(VERIFY_ROLES & set(staff.roles))


def sources_for(staff: Staff) -> QuerySet[ImportSource]:
    return ImportSource.objects.filter(organ=staff.organ).order_by("name")


def batches_for(staff: Staff) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.filter(source__organ=staff.organ)
        .select_related("source")
        .defer("content")
        .order_by("-uploaded_at")
    )


def queue_for(staff: Staff, status: str = ItemStatus.PENDING) -> QuerySet[ImportItem]:
    """Items of the staff member's organ waiting for verification, oldest first."""
    return (
        ImportItem.objects.filter(source__organ=staff.organ, status=status)
        .select_related("source", "petition")
        .order_by("imported_at", "pk")
    )


@dataclass
class DryRun:
    table: Table
    mapping_problems: list[str]
    rows: list[tuple[RowResult, str, str]] = field(default_factory=list)  # (result, outcome, note)
    counts: dict[str, int] = field(default_factory=dict)


OUTCOMES = {"create": "将新建", "duplicate": "重复（不导入）", "refused": "有误（不导入）"}


def dry_run(batch: ImportBatch, now: dt.datetime | None = None, *, rows: bool = True) -> DryRun:
    """What the real run would do with each row, without writing anything (``rows=False``: the mapping only)."""
    now = now or timezone.now()
    table = read_table(batch.file_name, bytes(batch.content))
    result = DryRun(table, mapping_problems(batch.source, table.headers))
    if result.mapping_problems or not rows:
        return result
    checked = [check_row(batch.source, table.headers, row, i + 2, now) for i, row in enumerate(table.rows)]
    ids = [r.external_id for r in checked if r.external_id]
    earlier = dict(
        ImportItem.objects.filter(source=batch.source, external_id__in=ids).values_list("external_id", "batch_id")
    )
    seen: dict[str, int] = {}
    counts = dict.fromkeys(OUTCOMES, 0)
    for r in checked:
        if r.problems:
            outcome, note = "refused", "；".join(message for _, message in r.problems)
        elif r.external_id in earlier:
            outcome, note = "duplicate", f"「来源编号」{r.external_id} 已导入过（第{earlier[r.external_id]}批）"
        elif r.external_id in seen:
            outcome, note = "duplicate", f"「来源编号」{r.external_id} 与本文件第{seen[r.external_id]}行重复"
        else:
            seen[r.external_id] = r.row_number
            outcome, note = "create", ""
        counts[outcome] += 1
        result.rows.append((r, outcome, note))
    result.counts = counts
    return result


@dataclass
class RepeatHint:
    number: str
    matter_id: int
    summary: str
    case_id: int


def repeat_hints(staff: Staff, item: ImportItem, limit: int = 5) -> list[RepeatHint]:
    """Earlier petitions that may be the same matter (same person or same words), only those the officer may read."""
    fields = item.fields
    hints = []
    for petition in repeat_candidates(
        id_number=fields.get("id_number", ""),
        name=fields.get("name", ""),
        contact=fields.get("contact", ""),
        text=fields.get("request", ""),
        limit=limit,
    ):
        case = petition.cases.select_related("organ", "acting_organ", "petition", "parent").order_by("pk").first()
        if case is None or not can_read(staff, case):
            continue
        hints.append(RepeatHint(petition.number, petition.matter_id, petition.matter.summary, case.pk))
    return hints
