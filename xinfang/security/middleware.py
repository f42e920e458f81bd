"""Response headers every page gets: a Content-Security-Policy with no inline script or style, and
``Cache-Control: no-store, private`` unless the view chose its own caching (pages and files hold personal data)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# No 'unsafe-inline' anywhere: scripts and styles come from our own static files only.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
NO_STORE = "no-store, private"


def csp_value() -> str:
    return str(getattr(settings, "XINFANG_CSP", DEFAULT_CSP))


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", csp_value())
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = NO_STORE
        elif "no-store" in response.headers["Cache-Control"] and "private" not in response.headers["Cache-Control"]:
            response.headers["Cache-Control"] += ", private"
        return response
