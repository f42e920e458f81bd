"""Reads for written notices, scoped through the case the staff member may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xinfang.lifecycle.visibility import can_read
from xinfang.rules.documents import default_document_kinds

from .models import ACCOUNTABILITY, OVERSIGHT_KINDS, Document


def kind_title(kind_id: str) -> str:
    return Document(kind=kind_id).get_kind_title()


def kind_choices() -> list[tuple[str, str]]:
    return [(k.id, k.title) for k in default_document_kinds().values() if k.id not in OVERSIGHT_KINDS]


def is_accountability(document: Document) -> bool:
    return document.kind == "recommendation_letter" and document.content.get("kind") == ACCOUNTABILITY


def case_documents(case: Any) -> QuerySet[Document]:
    """A case's documents, oldest first, without their file bytes (a recommendation to pursue responsibility
    is listed only on the supervision pages)."""
    return (
        Document.objects.filter(case=case)
        .exclude(kind="recommendation_letter", content__kind=ACCOUNTABILITY)
        .select_related("organ", "service")
        .defer("pdf", "docx", "service__proof")
        .order_by("created_at", "pk")
    )


def visible_document(staff: Any, pk: int, *, with_files: bool = False) -> Document:
    """The document if ``staff`` may see its case; 404 otherwise, so existence is not revealed."""
    documents = Document.objects.select_related(
        "organ",
        "case__petition",
        "case__organ__superior",
        "case__acting_organ",
        "case__review_organ",
        "case__re_review_organ",
        "case__parent__organ",
    )
    if not with_files:
        documents = documents.defer("pdf", "docx")
    document = documents.filter(pk=pk).first()
    if document is None or not can_read(staff, document.case):
        raise Http404("没有这份文书，或您无权查看")
    if is_accountability(document) and staff.organ_id != document.organ_id:
        raise Http404("没有这份文书，或您无权查看")
    return document
