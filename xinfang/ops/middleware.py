"""Behind the reverse proxy, REMOTE_ADDR is the proxy's address: every petitioner would share the portal's
per-address limits and every login would be logged from 127.0.0.1. When the request comes from a trusted proxy
(`XINFANG_TRUSTED_PROXIES`), the client address is the last entry of X-Forwarded-For, the one that proxy wrote
(docs/deploy.md: nginx sets `X-Forwarded-For $remote_addr`). From anyone else the header is ignored."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class ProxiedAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "XINFANG_TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
            with contextlib.suppress(ValueError):  # no or malformed header: keep the proxy's address
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded))
        return self.get_response(request)
