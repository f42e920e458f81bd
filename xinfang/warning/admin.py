from django.contrib import admin

from .models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("day", "organ", "topic", "count", "persons", "ratio", "status")
    list_filter = ("status",)
    readonly_fields = ("organ", "day", "topic", "variants", "count", "persons", "baseline", "ratio", "cases")
