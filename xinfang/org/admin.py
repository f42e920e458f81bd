from __future__ import annotations

from django import forms
from django.contrib import admin

from .models import Organ, Role, Staff


@admin.register(Organ)
class OrganAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "kind", "system", "region_code", "superior", "system_superior", "telephone")
    list_filter = ("level", "kind", "system")
    search_fields = ("name", "region_code")
    autocomplete_fields = ("superior", "system_superior")
    fieldsets = (
        (None, {"fields": ("name", "code", "level", "kind", "region_code", "superior", "system", "system_superior")}),
        ("公开的信访渠道（《信访工作条例》第十八条第一款）", {"fields": ("address", "telephone", "hours", "web")}),
    )


class StaffForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Staff
        fields = ["user", "display_name", "organ", "roles"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    form = StaffForm
    list_display = ("display_name", "organ", "role_names")
    search_fields = ("display_name", "user__username", "organ__name")
    autocomplete_fields = ("organ", "user")

    @admin.display(description="角色")
    def role_names(self, obj: Staff) -> str:
        return "、".join(Role(r).label for r in obj.roles)
