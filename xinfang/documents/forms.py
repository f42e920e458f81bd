"""Forms for drafting, editing and serving written notices; the fields come from the kind's items."""

from __future__ import annotations

from typing import Any

from django import forms

from xinfang.rules.documents import KindVersion

from .models import ServiceMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PROOF_BYTES = 20 * 1024 * 1024


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label="文书种类")

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]


def content_form(version: KindVersion, content: dict[str, Any], data: Any = None) -> forms.Form:
    """One field per content item, labelled as the template labels it; required items are marked."""
    form = forms.Form(data, initial=content)
    for item in version.items:
        label = item.label + ("" if item.optional else "（必备）")
        help_text = f"依据{item.citation.short()}"
        if item.choices:
            field: forms.Field = forms.ChoiceField(
                label=label,
                required=False,
                help_text=help_text,
                choices=[("", "——请选择——"), *((c, c) for c in item.choices)],
            )
        else:
            field = forms.CharField(
                label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": 3})
            )
        form.fields[item.key] = field
    return form


class ServiceForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_on = forms.DateField(label="送达日期", required=False, widget=DATE)
    tracking_number = forms.CharField(label="邮件单号（邮寄送达必填）", required=False, max_length=50)
    proof = forms.FileField(label="送达回证（照片或扫描件，可选）", required=False)
    exempt_reason = forms.CharField(label="免于送达的理由（仅姓名、住址不清时）", required=False, max_length=200)

    def clean_proof(self) -> Any:
        proof = self.cleaned_data.get("proof")
        if proof is not None and proof.size > MAX_PROOF_BYTES:
            raise forms.ValidationError("「送达回证」不能超过 20 MB")
        return proof
