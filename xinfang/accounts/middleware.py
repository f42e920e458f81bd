"""Staff sessions end after XINFANG_SESSION_IDLE_MINUTES without a request.

The clock starts at a login through the login page (``views.start_staff_session``); a session without it
(the tests' ``force_login``) is left alone."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase

LAST_SEEN = "accounts_last_seen"
WRITE_EVERY = 60  # seconds: the session is not rewritten on every request


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        last = request.session.get(LAST_SEEN) if request.user.is_authenticated else None
        if last is not None:
            now = time.time()
            if now - float(last) > settings.XINFANG_SESSION_IDLE_MINUTES * 60:
                logout(request)
                minutes = settings.XINFANG_SESSION_IDLE_MINUTES
                messages.info(request, f"您已{minutes}分钟未操作，为保护信息已自动退出，请重新登录。")
            elif now - float(last) > WRITE_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
