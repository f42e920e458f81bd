"""Forms of the leaders pages: each field labelled in Chinese, so that an error names its field."""

from __future__ import annotations

from typing import Any

from django import forms

from xinfang.org.models import Organ, Staff

from .models import ConferenceKind, Outcome, ReportKind

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}（{obj.organ.name}）"


class TakeForm(forms.Form):
    steps = forms.CharField(
        label="化解方案（步骤）", widget=forms.Textarea(attrs={"rows": 4}), help_text="每行一个步骤"
    )
    target_date = forms.DateField(label="计划化解日期", widget=DATE)


class ProgressForm(forms.Form):
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="化解结果", choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="结果说明", widget=forms.Textarea(attrs={"rows": 3}))


class AppointmentForm(forms.Form):
    leader = StaffChoice(label="约访领导", queryset=Staff.objects.none())
    starts_at = forms.DateTimeField(label="约访时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label="地点", max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, leaders: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = Staff.objects.filter(pk__in=[s.pk for s in leaders]).select_related("organ")  # type: ignore[attr-defined]


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label="新的约访时间", widget=DATETIME, input_formats=DATETIME_FORMATS)
    place = forms.CharField(label="地点", max_length=200, required=False)


class ReceptionForm(forms.Form):
    leader = StaffChoice(label="接访领导", queryset=Staff.objects.none())
    day = forms.DateField(label="接访日期", widget=DATE)
    starts = forms.TimeField(label="开始时间", widget=TIME)
    ends = forms.TimeField(label="结束时间", widget=TIME)
    place = forms.CharField(label="接访地点", max_length=200)
    topics = forms.CharField(label="接访事项", max_length=200, required=False)

    def __init__(self, *args: Any, leaders: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = Staff.objects.filter(pk__in=[s.pk for s in leaders]).select_related("organ")  # type: ignore[attr-defined]


class ReceptionPetitionForm(forms.Form):
    name = forms.CharField(label="信访人姓名", max_length=50)
    contact = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    request = forms.CharField(label="诉求", widget=forms.Textarea(attrs={"rows": 3}))
    facts = forms.CharField(label="事实和理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FieldVisitForm(forms.Form):
    day = forms.DateField(label="下访日期", widget=DATE)
    place = forms.CharField(label="下访地点", max_length=200)
    attendees = forms.CharField(label="参加人员", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cases = forms.CharField(
        label="带案（信访件编号，每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label="下访成效", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConferenceForm(forms.Form):
    kind = forms.ChoiceField(label="会议类型", choices=ConferenceKind.choices)
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="召开日期", widget=DATE)
    members = forms.ModelMultipleChoiceField(
        label="成员单位", queryset=Organ.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = organs  # type: ignore[attr-defined]


class AgendaForm(forms.Form):
    title = forms.CharField(label="议题", max_length=200)
    case_number = forms.CharField(label="关联信访件编号", max_length=40, required=False)
    alert = forms.TypedChoiceField(label="关联预警", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, alerts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alert"].choices = [("", "（无）"), *[(a.pk, f"{a.day} {a.topic}") for a in alerts]]  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 2}))
    organ = forms.ModelChoiceField(label="落实单位", queryset=Organ.objects.none())
    deadline = forms.DateField(label="完成期限", widget=DATE)
    item = forms.TypedChoiceField(label="所属议题", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, conference: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = conference.members.all()  # type: ignore[attr-defined]
        self.fields["item"].choices = [("", "（无）"), *[(i.pk, i.title) for i in conference.agenda.all()]]  # type: ignore[attr-defined]


class DecisionDoneForm(forms.Form):
    report = forms.CharField(label="落实情况", widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    day = forms.DateField(label="截止日期", widget=DATE)


class FileReportForm(forms.Form):
    text = forms.CharField(label="报告正文", widget=forms.Textarea(attrs={"rows": 24}))


def errors_in_words(form: forms.Form) -> str:
    """Each error with its field's label: 「计划化解日期」：请输入一个有效的日期。"""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"「{label}」：{error}" if label else str(error))
    return "；".join(parts)
