"""The staff roadmap: the public roadmap plus the roles who act and the clocks each step starts and stops."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from xinfang.deadlines.selectors import rulebook
from xinfang.lifecycle import roadmap as lifecycle_roadmap
from xinfang.org.models import Role

from .access import staff_required


@staff_required
def roadmap_staff(request: HttpRequest) -> HttpResponse:
    context = lifecycle_roadmap.page_data(rulebook=rulebook(), role_labels={r.value: str(r.label) for r in Role})
    # render_svg escapes every piece of text it writes, so the SVG is safe to inline.
    context["diagram"] = mark_safe(context["diagram"])
    return render(request, "workspace/roadmap.html", context)
