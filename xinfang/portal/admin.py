from django.contrib import admin

from .models import HearingResult


@admin.register(HearingResult)
class HearingResultAdmin(admin.ModelAdmin):
    """Staff publish re-review hearing results here; the text must not identify the petitioner."""

    list_display = ("subject", "organ", "held_on", "published_on")
    list_filter = ("organ",)
    search_fields = ("subject", "conclusion")
