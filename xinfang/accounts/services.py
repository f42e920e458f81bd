"""Writes of the accounts app: the access log, login lockout decisions, unlocking, TOTP enrolment."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from xinfang.lifecycle.models import Case

from . import totp
from .models import AccessKind, AccessLog, TotpDevice


def client_address(request: HttpRequest | None) -> str:
    """REMOTE_ADDR: behind a reverse proxy, the proxy must set it to the client's address."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def record_access(request: HttpRequest | None, kind: str, case: Case | None = None, detail: str = "") -> AccessLog:
    """Record one access: call it from any view that shows or exports a petitioner's personal data."""
    user: Any = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    return AccessLog.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        address=client_address(request),
        case=case,
        path=(request.get_full_path() if request is not None else "")[:300],
        detail=detail[:300],
    )


def record_login_event(
    request: HttpRequest | None, kind: str, username: str, user: Any = None, detail: str = ""
) -> None:
    AccessLog.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user,
        username=username[:150],
        address=client_address(request),
        path=(request.path if request is not None else "")[:300],
        detail=detail[:300],
    )


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.XINFANG_LOGIN_LOCK_MINUTES)


def _minutes_until_free(failures: list[dt.datetime], limit: int, now: dt.datetime) -> int:
    """Minutes until fewer than ``limit`` of ``failures`` (newest first) remain in the window."""
    free_at = failures[limit - 1] + _window()
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def login_refusal(username: str, address: str, now: dt.datetime | None = None) -> str | None:
    """Why a login must be refused before the password is even checked, or None.

    An account is locked after XINFANG_LOGIN_FAILURES_PER_ACCOUNT failures within XINFANG_LOGIN_LOCK_MINUTES
    (counted since its last successful login or unlock); an address after XINFANG_LOGIN_FAILURES_PER_ADDRESS."""
    now = now or timezone.now()
    since = now - _window()
    per_address = settings.XINFANG_LOGIN_FAILURES_PER_ADDRESS
    if address:
        by_address = list(
            AccessLog.objects.filter(kind=AccessKind.LOGIN_FAILED, address=address, at__gte=since)
            .order_by("-at")
            .values_list("at", flat=True)[:per_address]
        )
        if len(by_address) >= per_address:
            minutes = _minutes_until_free(by_address, per_address, now)
            return f"此网络地址登录失败次数过多，请{minutes}分钟后再试。"
    per_account = settings.XINFANG_LOGIN_FAILURES_PER_ACCOUNT
    name = username.strip()
    if name:
        reset = (
            AccessLog.objects.filter(kind__in=[AccessKind.LOGIN, AccessKind.UNLOCK], username=name, at__gte=since)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        failures = AccessLog.objects.filter(
            kind=AccessKind.LOGIN_FAILED, username=name, at__gte=since, pk__gt=reset or 0
        )
        by_account = list(failures.order_by("-at", "-pk").values_list("at", flat=True)[:per_account])
        if len(by_account) >= per_account:
            minutes = _minutes_until_free(by_account, per_account, now)
            return (
                f"该账号密码或动态口令连续错误{per_account}次，已暂时锁定，"
                f"请{minutes}分钟后再试，或请系统管理员解除锁定。"
            )
    return None


def unlock(request: HttpRequest | None, username: str) -> None:
    """An administrator lifts an account's lock: failures before this line no longer count."""
    record_login_event(request, AccessKind.UNLOCK, username, detail=f"由{_who(request)}解除")


def _who(request: HttpRequest | None) -> str:
    user: Any = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "系统"


def enrol_totp(request: HttpRequest | None, user: Any, secret: str, code: str) -> TotpDevice | None:
    """Confirm a new secret with a code from the app; None if the code does not match."""
    now = timezone.now()
    step = totp.matching_step(secret, code, now.timestamp())
    if step is None:
        return None
    with transaction.atomic():
        device, _ = TotpDevice.objects.update_or_create(
            user=user, defaults={"secret": secret, "confirmed_at": now, "last_step": step}
        )
        record_login_event(request, AccessKind.TOTP_ENROLLED, user.get_username(), user=user)
    return device


def check_totp(user: Any, code: str) -> bool:
    """True if ``code`` is the user's current code and not used before (the step is then spent)."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        step = totp.matching_step(device.secret, code, timezone.now().timestamp(), device.last_step)
        if step is None:
            return False
        device.last_step = step
        device.save(update_fields=["last_step"])
    return True
