"""Forms of the supervision pages; every refusal names the field in Chinese."""

from __future__ import annotations

from django import forms

from xinfang.documents.models import ServiceMethod

from .models import Kind, Reason


class OrderForm(forms.Form):
    reason = forms.ChoiceField(
        label="督办事由", choices=Reason.choices, error_messages={"required": "请选择「督办事由」"}
    )
    requirement = forms.CharField(
        label="督办要求",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "请填写「督办要求」"},
    )
    deadline = forms.DateField(
        label="答复期限（不填则按默认期限）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "「答复期限」须为日期，如 2026-03-20"},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "请填写「答复内容」"},
    )


class EscalateForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
    deadline = OrderForm.base_fields["deadline"]


class RecommendationForm(forms.Form):
    kind = forms.ChoiceField(label="建议类别", choices=Kind.choices, error_messages={"required": "请选择「建议类别」"})
    addressee = forms.TypedChoiceField(
        label="主送机关", coerce=int, choices=(), error_messages={"required": "请选择「主送机关」"}
    )
    problem = forms.CharField(
        label="发现的问题",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "请填写「发现的问题」"},
    )
    suggestion = forms.CharField(
        label="建议内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "请填写「建议内容」"},
    )

    def __init__(self, *args: object, organs: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["addressee"].choices = organs  # type: ignore[attr-defined]


class ServeForm(forms.Form):
    method = forms.ChoiceField(
        label="送达方式",
        choices=[(v, label) for v, label in ServiceMethod.choices if v != ServiceMethod.EXEMPT],
        error_messages={"required": "请选择「送达方式」"},
    )
    served_on = forms.DateField(
        label="送达日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写「送达日期」", "invalid": "「送达日期」须为日期，如 2026-03-20"},
    )
    tracking_number = forms.CharField(label="邮件单号", max_length=40, required=False)


class FeedbackForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label="是否采纳",
        choices=(("yes", "采纳"), ("no", "未采纳")),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择「是否采纳」"},
    )
    text = forms.CharField(
        label="书面反馈（未采纳的说明理由）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "请填写「书面反馈」"},
    )


def first_error(form: forms.Form) -> str:
    return str(next(iter(e for errors in form.errors.values() for e in errors), "请检查填写的内容"))
