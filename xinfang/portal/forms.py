"""Portal forms. Labels are the words of Art. 19; every error names its field, in Chinese."""

from __future__ import annotations

from typing import Any

from django import forms

from xinfang.intake.fields import ResidentIdField
from xinfang.intake.services import AccusedInput
from xinfang.org.models import Organ

from .models import Level

TEXT = forms.Textarea(attrs={"rows": 5})


class OrganChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organ) -> str:
        return obj.name


class SubmissionForm(forms.Form):
    region = forms.ChoiceField(label="地区")
    organ = OrganChoiceField(
        label="向哪个机关提出",
        queryset=Organ.objects.none(),
        error_messages={"required": "请选择「向哪个机关提出」", "invalid_choice": "所选的机关不在公布的名单中"},
    )
    name = forms.CharField(label="姓名（名称）", max_length=100, error_messages={"required": "请填写「姓名（名称）」"})
    id_number = ResidentIdField(label="证件号码", max_length=30, error_messages={"required": "请填写「证件号码」"})
    contact = forms.CharField(label="联系电话", max_length=50, error_messages={"required": "请填写「联系电话」"})
    address = forms.CharField(label="住址", max_length=200, error_messages={"required": "请填写「住址」"})
    request = forms.CharField(
        label="诉求",
        widget=TEXT,
        max_length=5000,
        error_messages={"required": "请填写「诉求」：写明您请求解决的事项（《信访工作条例》第十九条第一款）"},
    )
    facts_and_reasons = forms.CharField(
        label="事实和理由",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": "请填写「事实和理由」"},
    )
    accusation = forms.ChoiceField(
        label="是否检举、揭发、控告",
        choices=[("yes", "是"), ("no", "否")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择「是否检举、揭发、控告」：是或否"},
    )
    captcha_answer = forms.CharField(label="验证问题", max_length=10, required=False)
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organs: list[Organ], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions: dict[str, str] = {}
        for organ in organs:
            regions.setdefault(organ.region_code, region_name(organ))
        self.fields["region"].choices = [("", "——请选择地区——"), *sorted(regions.items())]  # type: ignore[attr-defined]
        self.fields["region"].error_messages["required"] = "请选择「地区」"
        published = Organ.objects.filter(pk__in=[o.pk for o in organs])
        self.fields["organ"].queryset = published  # type: ignore[attr-defined]
        self.organs = organs
        for n in ACCUSED_ROWS:
            self.fields[f"accused_organ_{n}"] = _accused_organ(f"被检举、揭发、控告的单位{n}", published)
            self.fields[f"accused_person_{n}"] = forms.CharField(
                label=f"被检举、揭发、控告的人员{n}：姓名", max_length=50, required=False
            )
            self.fields[f"accused_person_organ_{n}"] = _accused_organ(
                f"被检举、揭发、控告的人员{n}：所在单位", published
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organ, region = data.get("organ"), data.get("region")
        if organ is not None and region and organ.region_code != region:
            self.add_error("organ", "所选的机关不在所选的地区，请重新选择")
        self._clean_accused(data)
        return data

    def _clean_accused(self, data: dict[str, Any]) -> None:
        for n in ACCUSED_ROWS:
            if (data.get(f"accused_person_{n}") or "").strip() and data.get(f"accused_person_organ_{n}") is None:
                self.add_error(f"accused_person_organ_{n}", f"请选择被检举、揭发、控告的人员{n}所在的单位")
        named = self.accused()
        if data.get("accusation") == "yes" and not named:
            self.add_error("accused_organ_1", "请至少填写一个被检举、揭发、控告的单位或者人员")
        elif data.get("accusation") == "no" and named:
            self.add_error("accusation", "填写了被检举、揭发、控告的单位或者人员，请在上面选择“是”")

    def accused(self) -> list[AccusedInput]:
        """The accused organs and persons as typed (rows left empty are skipped)."""
        data = getattr(self, "cleaned_data", {})
        result = []
        for n in ACCUSED_ROWS:
            if data.get(f"accused_organ_{n}") is not None:
                result.append(AccusedInput(organ_id=data[f"accused_organ_{n}"].pk))
        for n in ACCUSED_ROWS:
            person, where = (data.get(f"accused_person_{n}") or "").strip(), data.get(f"accused_person_organ_{n}")
            if person:
                result.append(AccusedInput(person_name=person, person_organ_id=where.pk if where else None))
        return result


ACCUSED_ROWS = (1, 2, 3)


def _accused_organ(label: str, published: Any) -> OrganChoiceField:
    return OrganChoiceField(
        label=label,
        queryset=published,
        required=False,
        error_messages={"invalid_choice": "所选的单位不在公布的名单中"},
    )


def region_name(organ: Organ) -> str:
    """The region's own name, taken from its government or bureau, e.g. 甲县."""
    root = organ
    while root.superior is not None and root.superior.region_code == organ.region_code:
        root = root.superior
    return root.name.replace("人民政府", "").replace("信访局", "") or organ.region_code


class TrackForm(forms.Form):
    number = forms.CharField(
        label="信访件编号", max_length=20, error_messages={"required": "请填写「信访件编号」，见回执"}
    )
    code = forms.CharField(label="查询码", max_length=20, error_messages={"required": "请填写「查询码」，见回执"})


class VerifyForm(TrackForm):
    fingerprint = forms.CharField(
        label="指纹（SM3）",
        max_length=100,
        error_messages={"required": "请填写「指纹（SM3）」，见回执或办理进度页"},
    )

    def clean_fingerprint(self) -> str:
        from .fingerprint import HEX64, normalise

        value = normalise(self.cleaned_data["fingerprint"])
        if not HEX64.match(value):
            raise forms.ValidationError("「指纹（SM3）」应为64位字符（数字0-9和字母a-f），可以带空格")
        return value


class RatingForm(forms.Form):
    aspect = forms.CharField(widget=forms.HiddenInput)
    level = forms.ChoiceField(
        label="评价",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择「评价」：满意、基本满意或不满意"},
    )
    reason = forms.CharField(
        label="不满意的原因（选择“不满意”时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestForm(forms.Form):
    """Review or re-review requested online: the petitioner's reasons and an explicit confirmation."""

    name = forms.ChoiceField(choices=[("request_review", "请求复查"), ("request_re_review", "请求复核")])
    reasons = forms.CharField(
        label="请求的理由", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    confirm = forms.BooleanField(required=False)
