"""Triage pages: the suggestion for a case as JSON (for the panel of the triage form), the side-by-side view
of a case and a possible repeat, and linking the case to that repeat's matter (staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.access import staff_required

from . import selectors
from .services import LinkRefused, as_json, link_to_matter, suggest


def _readable(request: HttpRequest, case_id: int) -> Case:
    # A case the staff member may not read is not found, as on every other staff page.
    staff = request.staff  # type: ignore[attr-defined]
    return get_object_or_404(readable_cases(staff).select_related("petition", "matter", "organ"), pk=case_id)


@require_POST  # a suggestion is recorded (a row and an event): not a GET
@staff_required
def suggest_view(request: HttpRequest, case_id: int) -> JsonResponse:
    case = _readable(request, case_id)
    return JsonResponse(as_json(suggest(case, request.staff)), json_dumps_params={"ensure_ascii": False})  # type: ignore[attr-defined]


@require_GET
@staff_required
def compare(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    case, other = _readable(request, case_id), _readable(request, other_id)
    context = {"case": case, "other": other, "pair": selectors.side_by_side(case, other)}
    return render(request, "triage/compare.html", context)


@require_POST
@staff_required
def link(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    case, other = _readable(request, case_id), _readable(request, other_id)
    try:
        link_to_matter(case, other, request.staff)  # type: ignore[attr-defined]
    except LinkRefused as refusal:
        messages.error(request, f"未能关联：{refusal}")
        return redirect("triage:compare", case_id=case.pk, other_id=other.pk)
    note = "（该事项已复核终结，同一事实和理由不再受理，第三十六条第三款）" if other.matter.final_at else ""
    messages.success(request, f"已将本件关联到信访件 {other.petition.number} 的信访事项{note}。")
    return redirect("workspace:case", pk=case.pk)
