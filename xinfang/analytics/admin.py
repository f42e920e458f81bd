from django.contrib import admin

from .models import RollupState


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ("last_seq", "as_of", "updated_at", "progress")
    readonly_fields = ("last_seq", "as_of", "updated_at", "progress")
