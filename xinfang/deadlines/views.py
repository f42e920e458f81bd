"""Thin views: the deadline calculator and rules table, open to anyone (the law is public)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinfang.org.models import Staff
from xinfang.rules import Pause, RulesError

from .selectors import deadline, rulebook, uncovered_years


class DeadlineForm(forms.Form):
    rule = forms.ChoiceField(label="期限规则")
    start = forms.DateField(label="起算日（当日不计入）", widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.RegexField(
        label="行政区划代码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "行政区划代码应为六位数字"},
        help_text="可选，例如 330106；适用该地更严的期限",
    )
    days = forms.IntegerField(label="指定天数", required=False, min_value=1, help_text="交办期限或延期天数")
    pause_from = forms.DateField(label="听证开始", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    pause_to = forms.DateField(label="听证结束", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        rules = sorted(rulebook().rules.values(), key=lambda r: (len(r.code), r.code))
        self.fields["rule"].choices = [(r.id, f"{r.code} {r.title}") for r in rules]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("pause_from")) != bool(data.get("pause_to")):
            raise forms.ValidationError("听证开始日和结束日须同时填写")
        return data


def calculator(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.GET or None)
    result = None
    missing_years: list[int] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        pauses = [Pause(data["pause_from"], data["pause_to"])] if data.get("pause_from") else []
        try:
            result = deadline(
                data["rule"],
                data["start"],
                region=data.get("region") or None,
                days=data.get("days"),
                pauses=pauses,
            )
            missing_years = uncovered_years(result) if result.provisional else []
        except RulesError as exc:
            form.add_error(None, str(exc))
    rules = sorted(rulebook().rules.values(), key=lambda r: (len(r.code), r.code))
    titles = {rule.id: f"{rule.code} {rule.title}" for rule in rules}
    regions = [
        (profile, [(titles.get(rule_id, "期限"), v) for rule_id, values in profile.values.items() for v in values])
        for profile in sorted(rulebook().regions.values(), key=lambda p: p.code)
    ]
    staff = Staff.objects.select_related("organ").filter(user_id=request.user.pk).first() if request.user.pk else None
    if staff is not None:  # staff read the rules in their own layout, with their menu
        request.staff = staff  # type: ignore[attr-defined]
    return render(
        request,
        "deadlines/calculator.html",
        {
            "form": form,
            "result": result,
            "missing_years": missing_years,
            "rules": rules,
            "regions": regions,
            "layout": "workspace/layout.html" if staff is not None else "base.html",
        },
    )
