from django.contrib import admin

from .models import Area, Worker


class WorkerInline(admin.TabularInline):
    model = Worker
    extra = 1


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "organ", "description")
    inlines = (WorkerInline,)
