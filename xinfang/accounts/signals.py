"""Every login, failed login and logout goes into the access log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AccessKind
from .services import record_login_event


@receiver(user_logged_in, dispatch_uid="accounts_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_login_event(request, AccessKind.LOGIN, user.get_username(), user=user)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    record_login_event(request, AccessKind.LOGIN_FAILED, str(credentials.get("username", "")), detail="密码错误")


@receiver(user_logged_out, dispatch_uid="accounts_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_login_event(request, AccessKind.LOGOUT, user.get_username(), user=user)
