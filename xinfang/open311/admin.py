from django.contrib import admin

from .models import ApiCall, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Keys are issued with `python manage.py open311_partner`; the admin shows only their prefix."""

    list_display = ("name", "organ", "key_prefix", "hourly_limit", "active", "created_at")
    fields = ("name", "organ", "source", "key_prefix", "hourly_limit", "active", "created_at")
    readonly_fields = ("organ", "source", "key_prefix", "created_at")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("at", "partner", "method", "path", "status")
    list_filter = ("partner", "status")
    readonly_fields = ("at", "partner", "method", "path", "status")
