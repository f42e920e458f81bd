"""Forms of the mediation pages; every label in Chinese names the field a refusal talks about."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import LawyerDuty, LegalChannel, MediationBody, Mediator, Mode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ReferForm(forms.Form):
    mode = forms.ChoiceField(label="方式", choices=Mode.choices, initial=Mode.MEDIATION, widget=forms.RadioSelect)
    body = forms.ModelChoiceField(label="调解组织", queryset=MediationBody.objects.none(), required=False)
    mediator = forms.ModelChoiceField(label="调解员", queryset=Mediator.objects.none(), required=False)
    other_party = forms.CharField(label="对方当事人", max_length=200)
    consent = forms.CharField(
        label="当事人同意的情况（谁、以何种方式同意）",
        widget=TEXT,
        initial="信访人和对方当事人均书面同意调解，同意书附卷。",
    )
    consent_on = forms.DateField(label="同意日期", widget=DATE)

    def __init__(self, *args: Any, bodies: Any, mediators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["mediator"].queryset = mediators  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_on = forms.DateField(label="调解日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200)
    attendees = forms.CharField(label="参加人员", widget=TEXT)
    notes = forms.CharField(label="调解情况", widget=TEXT)


class EndForm(forms.Form):
    reason = forms.CharField(label="未成原因", widget=TEXT)


class ConfirmationForm(forms.Form):
    court = forms.CharField(label="确认法院", max_length=100)
    confirmed_on = forms.DateField(label="司法确认日期", widget=DATE)
    number = forms.CharField(label="司法确认裁定书文号", max_length=100)


def problems(form: forms.Form) -> str:
    """The form's errors in one Chinese sentence, each naming its field."""
    return "；".join(
        f"「{form.fields[name].label if name in form.fields else name}」{error}"
        for name, errors in form.errors.items()
        for error in errors
    )


class ConsultationForm(forms.Form):
    duty = forms.ModelChoiceField(label="值班律师", queryset=LawyerDuty.objects.none(), empty_label=None)
    petitioner = forms.CharField(label="来访人", max_length=100)
    headcount = forms.IntegerField(label="人数", min_value=1, initial=1)
    question = forms.CharField(label="咨询问题", widget=TEXT)
    advice = forms.CharField(label="律师意见", widget=TEXT)
    channel = forms.ChoiceField(label="引导的法定途径", choices=[("", "——请选择——"), *LegalChannel.choices])
    number = forms.CharField(label="关联信访件编号（如有）", max_length=20, required=False)

    def __init__(self, *args: Any, duties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duty"].queryset = duties  # type: ignore[attr-defined]


class OpinionForm(forms.Form):
    duty = forms.ModelChoiceField(label="律师", queryset=LawyerDuty.objects.none(), empty_label=None)
    given_on = forms.DateField(label="出具日期", widget=DATE)
    opinion = forms.CharField(label="法律意见", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, duties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duty"].queryset = duties  # type: ignore[attr-defined]
