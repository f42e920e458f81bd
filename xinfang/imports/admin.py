from django.contrib import admin

from .models import ImportBatch, ImportItem, ImportSource, RowNote


@admin.register(ImportSource)
class ImportSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "organ", "kind", "channel", "default_region_code")
    list_filter = ("kind",)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "source",
        "status",
        "total_rows",
        "processed_rows",
        "created_count",
        "duplicate_count",
        "refused_count",
        "uploaded_at",
    )
    list_filter = ("status",)
    exclude = ("content",)
    readonly_fields = ("sm3",)


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    """No content here: the item's personal data is shown only on the owning organ's queue."""

    list_display = ("external_id", "source", "status", "imported_at", "decided_at")
    list_filter = ("status",)
    fields = (
        "source",
        "batch",
        "row_number",
        "external_id",
        "status",
        "imported_at",
        "decided_by",
        "decided_at",
        "refusal_reason",
        "petition",
    )
    readonly_fields = fields


@admin.register(RowNote)
class RowNoteAdmin(admin.ModelAdmin):
    list_display = ("batch", "row_number", "kind", "field", "message")
    list_filter = ("kind",)
