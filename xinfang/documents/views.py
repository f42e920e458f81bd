"""Staff pages for written notices: draft from the case, edit, approve, issue, download, serve. Thin views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.access import staff_required
from xinfang.rules.documents import refusal as missing_refusal

from . import services
from .forms import DraftForm, ServiceForm, content_form
from .models import SERVED_IN_SUPERVISION, Document, Status
from .selectors import kind_choices, kind_title, visible_document

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@staff_required
def draft(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("petition", "organ__superior", "acting_organ"), pk=case_pk)
    if not can_read(request.staff, case):  # type: ignore[attr-defined]
        raise Http404("没有这个案件，或您无权查看")
    if request.method != "POST":
        return redirect("workspace:case", pk=case.pk)
    form = DraftForm(request.POST, kinds=kind_choices())
    if not form.is_valid():
        messages.error(request, "未能起草：请选择「文书种类」。")
        return redirect("workspace:case", pk=case.pk)
    try:
        document = services.draft(case, form.cleaned_data["kind"], request.staff)  # type: ignore[attr-defined]
    except services.DocumentRefused as refusal:
        messages.error(request, f"未能起草：{refusal.message}")
        return redirect("workspace:case", pk=case.pk)
    messages.success(request, f"已起草{kind_title(document.kind)}，请核对并补全各项内容。")
    return redirect("documents:detail", pk=document.pk)


def _page(
    request: HttpRequest, document: Document, *, form: Any = None, service_form: Any = None, status: int = 200
) -> HttpResponse:
    version = services.version_of(document)
    editable = document.status in (Status.DRAFT, Status.APPROVED)
    content = form or content_form(version, document.content)
    missing = missing_refusal(version, document.content) if editable else None
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "title": kind_title(document.kind),
            "version": version,
            "editable": editable,
            "form": content,
            "missing": missing,
            "rows": [(item.label, document.content.get(item.key, "")) for item in version.items],
            "served_in_supervision": document.kind in SERVED_IN_SUPERVISION,
            "service_form": service_form or ServiceForm(initial={"served_on": timezone.localdate()}),
            "service": getattr(document, "service", None) if document.status == Status.SERVED else None,
        },
        status=status,
    )


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    document = visible_document(staff, pk)
    if request.method != "POST":
        return _page(request, document)
    action = request.POST.get("action", "save")
    version = services.version_of(document)
    form = content_form(version, document.content, request.POST)
    try:
        if document.status in (Status.DRAFT, Status.APPROVED) and form.is_valid():
            typed = {k: str(v).replace("\r\n", "\n").strip() for k, v in form.cleaned_data.items()}
            if any(typed[k] != str(document.content.get(k, "")).strip() for k in typed):
                document = services.update(document, typed, staff)  # an edit clears an earlier approval
        if action == "approve":
            document = services.approve(document, staff)
            messages.success(request, "已审核签发，可以印发。")
        elif action == "issue":
            document = services.issue(document, staff)
            messages.success(request, f"已印发，发文字号 {document.number}。")
        elif action == "save":
            messages.success(request, "已保存。")
    except (services.DocumentRefused, Refused) as refusal:
        messages.error(request, f"未能办理：{refusal.message}")
        document = visible_document(staff, pk)
        return _page(request, document, form=form, status=400)
    return redirect("documents:detail", pk=document.pk)


@staff_required
def serve(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    document = visible_document(staff, pk)
    if request.method != "POST":
        return redirect("documents:detail", pk=pk)
    if document.kind in SERVED_IN_SUPERVISION:
        messages.error(request, "未能登记送达：建议书请在「督查督办 → 三项建议」页面登记送达，以便计算反馈期限。")
        return redirect("documents:detail", pk=pk)
    form = ServiceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        proof = data["proof"]
        try:
            services.serve(
                document,
                staff,
                method=data["method"],
                served_on=data["served_on"],
                tracking_number=data["tracking_number"],
                proof=proof.read() if proof else None,
                proof_name=proof.name if proof else "",
                exempt_reason=data["exempt_reason"],
            )
        except (services.DocumentRefused, Refused) as refusal:
            messages.error(request, f"未能登记送达：{refusal.message}")
        else:
            messages.success(request, "已登记送达。")
            return redirect("documents:detail", pk=pk)
    else:
        messages.error(request, "未能登记送达：请检查下方标出的字段。")
    return _page(request, visible_document(staff, pk), service_form=form, status=400)


@staff_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    document = visible_document(request.staff, pk, with_files=True)  # type: ignore[attr-defined]
    data = getattr(document, fmt, None) if fmt in CONTENT_TYPES else None
    if not data:
        raise Http404("该文书尚未印发")
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(document.number)}.{fmt}"
    return response


def _quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
