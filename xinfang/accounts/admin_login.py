"""The admin site logs in through the staff login (password, lockout, second factor), never its own form."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse


def _login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    target = request.GET.get(REDIRECT_FIELD_NAME) or "/admin/"
    return redirect_to_login(target)


def guard_admin_login() -> None:
    admin.site.login = _login  # type: ignore[method-assign]
