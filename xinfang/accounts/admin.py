from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import AccessLog, TotpDevice


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Searchable by administrators; nobody edits or deletes a line."""

    list_display = ("at", "kind", "username", "address", "case", "detail")
    list_filter = ("kind", "at")
    search_fields = ("username", "address", "detail", "path", "case__petition__number")
    date_hierarchy = "at"
    list_select_related = ("case__petition",)
    actions = ["unlock_accounts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    @admin.action(description="解除所选记录中账号的登录锁定")
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[AccessLog]) -> None:
        names = sorted({n for n in queryset.values_list("username", flat=True) if n})
        for name in names:
            services.unlock(request, name)
        messages.success(request, f"已解除锁定：{'、'.join(names) or '无'}")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting is not allowed, but the unlock action is: the change permission is not needed for it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Deleting a device resets a lost phone: the user enrols again at the next login."""

    list_display = ("user", "confirmed_at")
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
