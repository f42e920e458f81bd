"""Public pages. The roadmap is rendered from the lifecycle transition table itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def roadmap(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/roadmap.html", {})
