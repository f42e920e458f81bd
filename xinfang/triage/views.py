"""`/work/triage/suggest/<case_id>/`: the suggestion for a case as JSON, for the triage form (staff only)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.access import staff_required

from .services import as_json, suggest


@require_POST  # a suggestion is recorded (a row and an event): not a GET
@staff_required
def suggest_view(request: HttpRequest, case_id: int) -> JsonResponse:
    staff = request.staff  # type: ignore[attr-defined]
    # A case the staff member may not read is not found, as on every other staff page.
    case = get_object_or_404(readable_cases(staff).select_related("petition", "matter"), pk=case_id)
    return JsonResponse(as_json(suggest(case, staff)), json_dumps_params={"ensure_ascii": False})
