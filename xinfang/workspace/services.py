"""The workspace's own writes (saved filters) and bulk transfer or assignment through the engine."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.table import BY_NAME
from xinfang.lifecycle.visibility import Access, case_access
from xinfang.org.models import Organ, Staff

from .models import SavedFilter

MAX_SAVED = 20
# The query parameters a saved filter keeps: the filter form's fields, the sort and the page size.
KEPT = (
    "q",
    "waiting",
    "channel",
    "category",
    "state",
    "organ",
    "region",
    "received_from",
    "received_to",
    "overdue",
    "sort",
    "size",
)


def kept_query(query: QueryDict) -> str:
    """Only the list's own parameters of a query string (what a saved filter, a link or an export carries)."""
    return urlencode([(k, v) for k in KEPT for v in query.getlist(k) if v])


def save_filter(staff: Staff, name: str, query: QueryDict) -> SavedFilter:
    """Save (or replace) a named filter for this person; the name is required and at most 40 characters."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "「名称」不能为空：请为这组查询条件起个名字"})
    if len(name) > 40:
        raise ValidationError({"name": "「名称」不能超过40个字"})
    kept = kept_query(query)
    if not kept:
        raise ValidationError({"name": "没有可保存的查询条件：请先设置条件并查询"})
    with transaction.atomic():
        existing = SavedFilter.objects.select_for_update().filter(staff=staff)
        if existing.count() >= MAX_SAVED and not existing.filter(name=name).exists():
            raise ValidationError({"name": f"最多保存{MAX_SAVED}组查询条件，请先删除不用的"})
        saved, _ = SavedFilter.objects.update_or_create(
            staff=staff, name=name, defaults={"query": kept, "created_at": timezone.now()}
        )
        record_event(
            action="save_filter",
            at=saved.created_at,
            actor=staff.user,
            actor_label=str(staff),
            organ=staff.organ,
            payload={"name": name},
        )
    return saved


def delete_filter(staff: Staff, pk: int) -> bool:
    """Delete one of this person's saved filters; someone else's is never found."""
    with transaction.atomic():
        saved = SavedFilter.objects.filter(staff=staff, pk=pk).first()
        if saved is None:
            return False
        saved.delete()
        record_event(
            action="delete_filter",
            at=timezone.now(),
            actor=staff.user,
            actor_label=str(staff),
            organ=staff.organ,
            payload={"name": saved.name},
        )
    return True


# --- bulk transfer or assignment -------------------------------------------------------------------------

BULK_ACTIONS = ("transfer", "assign")


@dataclass(frozen=True)
class BulkResult:
    case_id: int
    number: str
    done: bool
    message: str


def bulk_route(
    staff: Staff, name: str, cases: list[tuple[Case, int]], target: Organ, days: int | None = None
) -> list[BulkResult]:
    """Transfer or assign each case to ``target``: each one a normal transition with its own event.

    Each case is performed on its own (one transaction each, through `engine.perform` with the version the
    user saw), so that one refusal stops nothing else; the result names each case and, if refused, the reason.
    """
    if name not in BULK_ACTIONS:
        raise ValueError(name)
    transition = BY_NAME[name]
    payload: dict[str, object] = {"target_organ": target.pk}
    if name == "assign":
        payload["days"] = days
    results = []
    for case, version in cases:
        number = case.petition.number
        if case_access(staff, case) < Access.FULL:
            results.append(BulkResult(case.pk, number, False, "您无权办理这个案件"))
            continue
        try:
            perform(case.pk, name, staff, dict(payload), expected_version=version)
        except Refused as refusal:
            results.append(BulkResult(case.pk, number, False, f"未能{transition.label}：{refusal.message}"))
        else:
            results.append(BulkResult(case.pk, number, True, f"已{transition.label}到{target.name}"))
    return results
