"""The agent's registration form: the petitioner's details, the request, and the consent to act for them."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class RegisterForm(forms.Form):
    name = forms.CharField(label="信访人姓名（名称）", max_length=100)
    id_number = forms.CharField(label="证件号码", max_length=18, required=False)
    contact = forms.CharField(label="联系电话", max_length=40, required=False)
    address = forms.CharField(label="住址", max_length=200)
    region_code = forms.CharField(label="问题发生地（六位行政区划代码）", max_length=6)
    request = forms.CharField(label="诉求", widget=TEXT)
    facts = forms.CharField(label="事实", widget=TEXT, required=False)
    reasons = forms.CharField(label="理由", widget=TEXT, required=False)
    consent = forms.CharField(
        label="信访人同意代办的情况", widget=TEXT, initial="信访人本人签署代办委托书，同意由代办员代为登记、跟踪办理。"
    )
    consent_on = forms.DateField(label="同意日期", widget=DATE)


def problems(form: forms.Form) -> str:
    return "；".join(
        f"「{form.fields[name].label if name in form.fields else name}」{error}"
        for name, errors in form.errors.items()
        for error in errors
    )
