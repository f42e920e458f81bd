"""Reads of the accounts app."""

from __future__ import annotations

from typing import Any

from xinfang.org.models import Role, Staff

from .models import TotpDevice


def has_totp(user: Any) -> bool:
    return TotpDevice.objects.filter(user=user).exists()


def must_have_totp(user: Any) -> bool:
    """Administrators (superusers, the admin site's staff, and the 系统管理员 role) need a second factor."""
    from django.conf import settings

    if not settings.XINFANG_ADMIN_TOTP_REQUIRED:
        return False
    if user.is_superuser or user.is_staff:
        return True
    staff = Staff.objects.filter(user=user).first()
    return bool(staff and staff.has_role(Role.ADMINISTRATOR))
