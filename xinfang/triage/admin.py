from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ClassifierModel, Suggestion
from .services import activate


@admin.action(description="设为当前使用的模型")
def make_active(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ClassifierModel]) -> None:
    chosen = queryset.order_by("-version").first()
    if chosen is not None:
        activate(chosen, getattr(request.user, "staff", None))
        modeladmin.message_user(request, f"已启用 {chosen}")


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ("version", "active", "trained_at", "trained_by_label", "source", "n_train", "macro_f1")
    list_filter = ("active",)
    actions = [make_active]
    readonly_fields = (
        "version",
        "directory",
        "trained_at",
        "trained_by",
        "trained_by_label",
        "source",
        "n_train",
        "labels",
        "metrics",
        "data_fingerprint",
        "model_hash",
        "active",
    )

    @admin.display(description="宏平均 F1（留出集）")
    def macro_f1(self, obj: ClassifierModel) -> str:
        value = obj.metrics.get("macro_f1")
        return f"{value:.4f}" if isinstance(value, float) else "—"


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("case", "at", "label", "score", "decided_label", "accepted", "model")
    list_filter = ("accepted",)
    readonly_fields = tuple(f.name for f in Suggestion._meta.fields)
