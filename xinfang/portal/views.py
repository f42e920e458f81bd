"""Public pages. The roadmap is rendered from the lifecycle transition table itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from xinfang.deadlines.selectors import rulebook
from xinfang.lifecycle import roadmap as lifecycle_roadmap


def roadmap(request: HttpRequest) -> HttpResponse:
    """路线图: the step table and the diagram, both generated from TABLE and the rule files."""
    context = lifecycle_roadmap.page_data(rulebook=rulebook())
    # render_svg escapes every piece of text it writes, so the SVG is safe to inline.
    context["diagram"] = mark_safe(context["diagram"])
    return render(request, "portal/roadmap.html", context)


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {})
