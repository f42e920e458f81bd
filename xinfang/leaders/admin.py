from django.contrib import admin

from .models import LeaderCase, ReceptionDay


@admin.register(LeaderCase)
class LeaderCaseAdmin(admin.ModelAdmin):
    list_display = ("case", "leader", "organ", "taken_at", "target_date", "outcome")
    readonly_fields = ("case", "leader", "organ", "taken_at", "closed_at", "outcome", "outcome_reason")


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ("day", "organ", "leader", "place", "published")
    readonly_fields = ("petitions",)
