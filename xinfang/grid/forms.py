"""Forms of the grid pages, sized for a phone; labels in Chinese name the field a refusal talks about."""

from __future__ import annotations

from typing import Any

from django import forms

from xinfang.rules.disputes import dispute_kinds

from .models import Area, Outcome

TEXT = forms.Textarea(attrs={"rows": 3})


class ReportForm(forms.Form):
    area = forms.ModelChoiceField(label="网格", queryset=Area.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="纠纷类别")
    place = forms.CharField(label="地点", max_length=200)
    parties = forms.CharField(label="当事人", widget=TEXT, help_text="姓名，多人用顿号或逗号分开")
    description = forms.CharField(label="纠纷情况", widget=TEXT)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", "——请选择——"), *dispute_kinds().choices()]  # type: ignore[attr-defined]


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="处置结果",
        choices=[(Outcome.RESOLVED.value, Outcome.RESOLVED.label), (Outcome.MEDIATED.value, Outcome.MEDIATED.label)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="处置情况", widget=TEXT)


class PetitionForm(forms.Form):
    name = forms.CharField(label="信访人姓名（名称）", max_length=100)
    id_number = forms.CharField(label="证件号码", max_length=18, required=False)
    contact = forms.CharField(label="联系电话", max_length=40, required=False)
    address = forms.CharField(label="住址", max_length=200)
    request = forms.CharField(label="诉求", widget=TEXT)
    facts = forms.CharField(label="事实", widget=TEXT, required=False)


def problems(form: forms.Form) -> str:
    return "；".join(
        f"「{form.fields[name].label if name in form.fields else name}」{error}"
        for name, errors in form.errors.items()
        for error in errors
    )
