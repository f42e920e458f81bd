from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from xinfang.intake.models import Channel

from .mapping import FIELDS
from .models import SourceKind


class SourceForm(forms.Form):
    name = forms.CharField(label="来源名称", max_length=100, help_text="例如：西地市12345热线")
    kind = forms.ChoiceField(label="来源类型", choices=SourceKind.choices)
    channel = forms.ChoiceField(label="登记为信访件时的渠道", choices=Channel.choices, initial=Channel.PHONE)
    default_region_code = forms.CharField(
        label="默认问题发生地", max_length=6, required=False, help_text="六位行政区划代码；文件中该列为空时使用"
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx）或 CSV（.csv），第一行为列名")


class MappingForm(forms.Form):
    """One select per field of ours, offering the file's column headers."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "（不导入）"), *[(h, h) for h in headers if h]]
        for f in FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label + ("（必填）" if f.required else ""), choices=choices, required=f.required
            )


class RefuseForm(forms.Form):
    reason = forms.CharField(label="不予转为信访件的理由", widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    accusation = forms.BooleanField(label="检举、揭发、控告（登记后即按保密事项处理）", required=False)
    matter = forms.TypedChoiceField(label="重复信访", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, hints: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "不是重复信访（新的信访事项）")]
        choices += [(str(h.matter_id), f"与 {h.number} 为同一信访事项：{h.summary}") for h in hints]
        self.fields["matter"].choices = choices  # type: ignore[attr-defined]
