"""The case list's reads: filters, sorting, page size, and the rows of its Excel export. Scoped by visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import readable_ids, visible_cases
from xinfang.org.models import Staff

from .selectors import organ_queue, search_cases

# Sortable columns: the key in the address, the label, the ordering.
SORTS: dict[str, tuple[str, str]] = {
    "number": ("编号", "petition__number"),
    "organ": ("机关", "organ__path"),
    "state": ("状态", "state"),
    "updated": ("最近变动", "updated_at"),
}
DEFAULT_SORT = "-updated"
PAGE_SIZES = (30, 50, 100)
EXPORT_LIMIT = 5000


def filtered_cases(staff: Staff, data: dict[str, Any] | None) -> QuerySet[Case]:
    """The cases the user may know of that match the filter form's cleaned data (None: no filter)."""
    cases = visible_cases(staff)
    if not data:
        return cases
    if data["q"]:  # search looks only in cases whose content the user may read (Art. 30(3))
        cases = search_cases(staff, data["q"])
    if data["waiting"]:
        cases = cases.filter(pk__in=organ_queue(staff).values("pk"))
    for key, field in (("channel", "petition__channel"), ("category", "category"), ("state", "state")):
        if data[key]:
            cases = cases.filter(**{field: data[key]})
    if data["organ"]:
        cases = cases.filter(organ=data["organ"])
    if data["region"]:
        cases = cases.filter(petition__region_code__startswith=data["region"].rstrip("0") or data["region"])
    if data["received_from"]:
        cases = cases.filter(received_at__date__gte=data["received_from"])
    if data["received_to"]:
        cases = cases.filter(received_at__date__lte=data["received_to"])
    if data["overdue"]:
        cases = cases.filter(overdue=True)
    return cases


def sort_key(value: str | None) -> str:
    """A sort from the address, or the default; anything else is ignored."""
    if value and value.lstrip("-") in SORTS:
        return value
    return DEFAULT_SORT


def sorted_cases(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    field = SORTS[sort.lstrip("-")][1]
    order = f"-{field}" if sort.startswith("-") else field
    return cases.select_related("petition__matter", "organ").order_by(order, "-pk" if sort.startswith("-") else "pk")


def page_size(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) in PAGE_SIZES else PAGE_SIZES[0]


def sort_links(sort: str) -> list[dict[str, str]]:
    """Each column header: its label, the sort a click gives (the other direction if it is the current one)."""
    links = []
    for key, (label, _) in SORTS.items():
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        links.append(
            {
                "key": key,
                "label": label,
                "next": (key if descending else f"-{key}") if current else f"-{key}",
                "aria": ("descending" if descending else "ascending") if current else "none",
                "arrow": ("↓" if descending else "↑") if current else "",
            }
        )
    return links


EXPORT_HEADER = ("信访件编号", "事项", "办理机关", "渠道", "类别", "状态", "超期", "收到时间", "最近变动")


def export_rows(staff: Staff, cases: QuerySet[Case]) -> list[tuple[object, ...]]:
    """The rows of the export: no identity at all, and no content of a case the user may only know exists."""
    rows = list(cases[:EXPORT_LIMIT])
    readable = readable_ids(staff, rows)
    out: list[tuple[object, ...]] = []
    for case in rows:
        summary = case.petition.matter.summary or case.petition.request
        if case.pk not in readable:
            summary = "（仅显示办理状态）"
        out.append(
            (
                case.petition.number,
                summary,
                case.organ.name,
                case.petition.get_channel_display(),
                case.get_category_display() or "未分类",
                case.get_state_display(),
                "是" if case.overdue else "否",
                timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(case.updated_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return out
