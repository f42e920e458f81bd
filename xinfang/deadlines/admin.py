from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from .models import CalendarDay, CalendarYear
from .services import CalendarFileError, Days, parse_year_file, record_change, remove_year, replace_days, snapshot

BEFORE = "_calendar_before"  # the years a change form touches, as they were before it saved


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ("date", "kind", "name")


class CalendarYearForm(forms.ModelForm):
    upload = forms.FileField(
        label="从文件导入",
        required=False,
        help_text="可选。CSV 文件，表头“日期,类型,名称”，类型为“休”或“班”；导入后替换该年全部日期。",
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            try:
                year, entries = parse_year_file(upload.read().decode("utf-8-sig"))
            except (CalendarFileError, UnicodeDecodeError) as exc:
                raise forms.ValidationError({"upload": f"文件无法导入：{exc}"}) from None
            if data.get("year") and year != data["year"]:
                raise forms.ValidationError({"upload": f"文件中的年份 {year} 与所填年份 {data['year']} 不一致"})
            self.parsed = (year, entries)
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    inlines = [CalendarDayInline]
    list_display = ("year", "source", "holiday_count", "workday_count", "updated_at")
    search_fields = ("year", "source")

    @admin.display(description="法定节假日")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj.days.filter(kind=CalendarDay.HOLIDAY).count()

    @admin.display(description="调休工作日")
    def workday_count(self, obj: CalendarYear) -> int:
        return obj.days.filter(kind=CalendarDay.WORKDAY).count()

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        years = {obj.year}
        if change and "year" in form.changed_data:
            years.add(form.initial["year"])
        before: dict[int, Days | None] = {year: snapshot(year) for year in years}
        setattr(request, BEFORE, before)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Inline edits or an uploaded file, then one change_calendar event per touched year, recomputing
        the open clocks it moves (the admin's change form is one transaction)."""
        super().save_related(request, form, formsets, change)
        parsed = getattr(form, "parsed", None)
        calendar_year = form.instance
        if parsed is None:
            calendar_year.save()  # touch updated_at so cached calendars are rebuilt
        else:
            year, entries = parsed  # an uploaded file replaces the year's days whole
            replace_days(calendar_year, entries)
            self.message_user(request, f"已从文件导入 {year} 年 {len(entries)} 个日期", messages.SUCCESS)
        before: dict[int, Days | None] = getattr(request, BEFORE, {calendar_year.year: None})
        for year, days in sorted(before.items()):
            record_change(year, days, source=calendar_year.source, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        remove_year(obj.year, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for year in list(queryset.values_list("year", flat=True)):
            remove_year(year, actor=request.user)


def rules_view(request: HttpRequest) -> Any:
    """A read-only view of the rules: they change only by editing the cited rule files."""
    from django.template.response import TemplateResponse

    from .selectors import rulebook

    book = rulebook()
    rules = sorted(book.rules.values(), key=lambda r: (len(r.code), r.code))
    context = {
        **admin.site.each_context(request),
        "title": "法定期限规则（只读）",
        "rules": rules,
        "regions": sorted(book.regions.values(), key=lambda p: p.code),
    }
    return TemplateResponse(request, "admin/rules.html", context)


_original_get_urls = admin.site.get_urls


def _get_urls() -> list[Any]:
    from django.urls import path

    return [path("rules/", admin.site.admin_view(rules_view), name="rules"), *_original_get_urls()]


admin.site.get_urls = _get_urls  # type: ignore[method-assign]
