from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Order, Recommendation


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only: orders and recommendations are written through the supervision services (events)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    list_display = ("pk", "organ", "handling_organ", "reason", "deadline", "state", "urged")
    list_filter = ("state", "reason")
    readonly_fields = ("organ", "handling_organ", "cases", "letter", "opened_by", "opened_at", "closed_at")


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Read-only: orders and recommendations are written through the supervision services (events)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    list_display = ("pk", "organ", "addressee", "kind", "state", "feedback_due")
    list_filter = ("state", "kind")
    readonly_fields = ("organ", "addressee", "cases", "letter", "drafted_by", "created_at")
