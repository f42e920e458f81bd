from django.contrib import admin

from .models import MediationBody, Mediator


class MediatorInline(admin.TabularInline):
    model = Mediator
    extra = 1


@admin.register(MediationBody)
class MediationBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organ", "telephone", "active")
    list_filter = ("kind", "active")
    inlines = (MediatorInline,)
