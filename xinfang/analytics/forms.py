"""The statistics filters: period, organ subtree (inside the viewer's scope), category, region, channel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from xinfang.intake.models import Category, Channel
from xinfang.org.models import Organ, Staff

from .selectors import Filters, scope_organs


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_this = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_this - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


class FilterForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    organ: forms.ModelChoiceField[Organ] = forms.ModelChoiceField(
        label="机关（含下级）", queryset=None, required=False, empty_label="本机关辖区全部"
    )
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *list(Category.choices)])
    region = forms.RegexField(
        label="问题发生地（行政区划代码或其前几位）",
        regex=r"^\d{2,6}$",
        required=False,
        error_messages={"invalid": "「问题发生地」应为二至六位数字的行政区划代码"},
    )
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部"), *list(Channel.choices)])

    def __init__(self, staff: Staff, data: Any = None) -> None:
        start, end = last_quarter(timezone.localdate())
        super().__init__(data, initial={"start": start, "end": end})
        self.fields["organ"].queryset = scope_organs(staff)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "「截止日期」不得早于「起始日期」")
        return cleaned

    def filters(self) -> Filters:
        c = self.cleaned_data
        return Filters(
            c["start"], c["end"], c.get("organ"), c.get("category", ""), c.get("region", ""), c.get("channel", "")
        )

    def described(self) -> list[tuple[str, str]]:
        """The filters in words, for the page and the top of the Excel sheet."""
        c = self.cleaned_data
        return [
            ("统计期间", f"{c['start']:%Y-%m-%d}至{c['end']:%Y-%m-%d}"),
            ("机关", c["organ"].name + "（含下级）" if c.get("organ") else "本机关辖区全部"),
            ("类别", dict(Category.choices).get(c.get("category", ""), "全部")),
            ("问题发生地", c.get("region") or "全部"),
            ("渠道", dict(Channel.choices).get(c.get("channel", ""), "全部")),
        ]


def bound(staff: Staff, query: Any) -> FilterForm:
    """The form bound to the query string, or to its defaults (last quarter) when nothing was chosen."""
    if "start" not in query:
        form = FilterForm(staff)
        query = {k: form.initial.get(k, "") for k in form.fields}
        query = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in query.items()}
    return FilterForm(staff, query)
