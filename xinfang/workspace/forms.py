"""Forms: registration at the desk, case filters, and one action form per transition, built from the table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from xinfang.intake.fields import ResidentIdField
from xinfang.intake.models import Category, Channel
from xinfang.lifecycle.context import FIELD_LABELS
from xinfang.lifecycle.guards import ADOPTION, extension_days_left
from xinfang.lifecycle.selectors import ORGAN_GUARDS, target_choices
from xinfang.lifecycle.states import DivertTarget, Outcome, State
from xinfang.lifecycle.table import Transition
from xinfang.org.models import Level, Organ
from xinfang.portal.models import FollowUpOutcome
from xinfang.rules import period_words
from xinfang.rules.taxonomy import SEPARATOR, default_taxonomy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> understands
TEXT = forms.Textarea(attrs={"rows": 3})
LEVEL_ORDER: list[str] = list(Level.values)  # province first, village last
SERVICE_METHODS = [
    ("当面", "当面送达"),
    ("邮寄", "邮寄送达"),
    ("电子送达", "电子送达（网上信访平台）"),
    ("公告", "公告送达"),
]


class RegistrationForm(forms.Form):
    received_at = forms.DateTimeField(
        label="收到时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    name = forms.CharField(label="姓名（名称）", required=False, max_length=100)
    id_number = ResidentIdField(label="证件号码", required=False, max_length=30)
    contact = forms.CharField(label="联系电话", required=False, max_length=50)
    address = forms.CharField(label="住址", required=False, max_length=200)
    anonymous = forms.BooleanField(label="匿名（不留姓名、住址）", required=False)
    region_code = forms.ChoiceField(label="问题发生地")
    request = forms.CharField(label="诉求", widget=TEXT)
    facts = forms.CharField(label="事实", required=False, widget=TEXT)
    reasons = forms.CharField(label="理由", required=False, widget=TEXT)
    collective = forms.BooleanField(label="集体访", required=False)
    headcount = forms.IntegerField(label="人数", required=False, min_value=2)
    representatives = forms.CharField(
        label="代表（每行一人：姓名 证件号码 电话，最多5人）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    matter_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Art. 30(3): asked at the desk, so that the case is confidential from the first minute.
    accusation = forms.BooleanField(label="检举、揭发、控告（反映机关、单位或其工作人员的问题）", required=False)
    accused_organs = forms.ModelMultipleChoiceField(
        label="被检举控告的单位", required=False, queryset=Organ.objects.order_by("path"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    accused_persons = forms.CharField(
        label="被检举控告人（每行一人：姓名 所在单位全称）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = regions  # type: ignore[attr-defined]
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_accused_persons(self) -> list[tuple[str, Organ]]:
        people = []
        lines = [x.strip() for x in self.cleaned_data["accused_persons"].splitlines()]
        for number, line in enumerate(filter(None, lines), 1):
            parts = line.split(maxsplit=1)
            organ = Organ.objects.filter(name=parts[1].strip()).first() if len(parts) == 2 else None
            if organ is None:
                raise forms.ValidationError(f"第{number}行：请写“姓名 所在单位全称”，单位须是系统中已有的机关、单位")
            people.append((parts[0], organ))
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("accused_organs") or data.get("accused_persons")) and not data.get("accusation"):
            self.add_error("accusation", "填写了被检举控告对象，请勾选「检举、揭发、控告」")
        return data


class QuickSelect(forms.Select):
    """A plain select rendered in one pass: hundreds of organs through the per-option templates took longer than
    the search itself on the case list (bench/search.py)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((str(v), mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="全文检索",
        required=False,
        help_text="多个词以空格分开，须同时出现；词组加引号；也可查编号、信访人姓名、证件号码、电话",
    )
    waiting = forms.BooleanField(label="只看本机关待办", required=False)
    channel = forms.ChoiceField(
        label="渠道", required=False, choices=[("", "全部"), *Channel.choices], widget=QuickSelect
    )
    category = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部"), *Category.choices], widget=QuickSelect
    )
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *State.choices], widget=QuickSelect
    )
    organ = forms.ModelChoiceField(
        label="办理机关", required=False, queryset=Organ.objects.none(), empty_label="全部", widget=QuickSelect
    )
    region = forms.CharField(label="发生地代码", required=False, max_length=6)
    received_from = forms.DateField(label="收到日期自", required=False, widget=DATE)
    received_to = forms.DateField(label="至", required=False, widget=DATE)
    overdue = forms.BooleanField(label="只看超期", required=False)

    def __init__(self, *args: Any, organs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = organs  # type: ignore[attr-defined]


CHOOSE = "——请选择——"


def _must_choose(label: str, choices: list[Any]) -> forms.ChoiceField:
    """A consequential choice: nothing preselected, so that Enter or a hasty click decides nothing."""
    return forms.ChoiceField(
        label=label, choices=[("", CHOOSE), *choices], error_messages={"required": f"请选择{label}"}
    )


def organ_groups(organs: list[Organ]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Organs grouped by region and level, the higher level first, each group named in words (no codes)."""
    governments = {
        (o.region_code, o.level): o.name.removesuffix("人民政府")
        for o in Organ.objects.filter(kind="other", region_code__in={o.region_code for o in organs})
    }
    groups: dict[tuple[int, str, str], list[tuple[int, str]]] = {}
    for organ in organs:
        place = governments.get((organ.region_code, organ.level), "")
        key = (LEVEL_ORDER.index(organ.level), organ.region_code, f"{place}{Level(organ.level).label}".strip())
        groups.setdefault(key, []).append((organ.pk, organ.name))
    return [(key[2], sorted(items, key=lambda item: item[1])) for key, items in sorted(groups.items())]


def _field(name: str, transition: Transition, case: Any, actor: Any) -> forms.Field:
    label = FIELD_LABELS.get(name, name)
    if name == "category":
        return _must_choose(label, list(Category.choices))
    if name == "target_organ":
        return _must_choose(label, organ_groups(target_choices(case, transition.name, actor)))
    if name == "days":
        if transition.name == "extend":  # Art. 34: the extensions together stay within the cap
            region = case.organ.region_code
            left = extension_days_left(case, timezone.localdate())[1]
            label = f"延长天数（各次合计{period_words('handling_extension', region)}，尚可延长{left}日）"
            return forms.IntegerField(label=label, min_value=1, max_value=max(left, 1), initial=left)
        return forms.IntegerField(label="指定办理期限（日）", min_value=1, max_value=365, initial=30)
    if name in ("served_on", "received_on"):
        return forms.DateField(label=label, widget=DATE, initial=timezone.localdate)
    if name == "method":
        return forms.ChoiceField(label=label, choices=SERVICE_METHODS)
    if name == "outcome":
        return forms.ChoiceField(label=label, choices=Outcome.choices, widget=forms.RadioSelect)
    if name == "changed":  # review / re-review: did it change the opinion under review (是 / 否)
        return forms.ChoiceField(label=label, choices=[("否", "否（维持）"), ("是", "是（撤销或者变更）")])
    if name == "adoption":
        return _must_choose(label, list(ADOPTION.items()))
    if name == "target_procedure":
        return _must_choose(label, list(DivertTarget.choices))
    if name in ("consent", "same_facts_confirmed"):
        return forms.BooleanField(label=label, required=True)
    if name in ("competent_organ", "leader"):
        return forms.CharField(label=label, max_length=100)
    return forms.CharField(label=label, widget=TEXT)


def content_category_field() -> forms.ChoiceField:
    """The 3-level content taxonomy (data: rules/data/taxonomy), grouped by the top level; the top level alone
    is a valid choice, which is what the triage suggestion fills in (triage/suggest.js)."""
    taxonomy = default_taxonomy()
    groups: list[Any] = [("", "——请选择——")]
    for l1 in taxonomy.level1():
        options = [(l1, f"{l1}（不再细分）")]
        for l2 in taxonomy.level2(l1):
            options.append((f"{l1}{SEPARATOR}{l2}", l2))
            options += [(f"{l1}{SEPARATOR}{l2}{SEPARATOR}{l3}", f"{l2} · {l3}") for l3 in taxonomy.level3(l1, l2)]
        groups.append((l1, options))
    return forms.ChoiceField(label="内容分类", required=False, choices=groups)


# Steps that send a case away or end it: the page asks once more, naming the organ (see workspace.js).
CONFIRMED = frozenset(
    {"transfer", "assign", "route_political_legal", "route_discipline", "designate", "not_accept"}
    | {"close_no_review", "close_no_re_review", "conclude_suggestion", "conclude_accusation"}
)


def action_form(transition: Transition, case: Any, actor: Any, data: Any = None) -> forms.Form:
    """The form for one transition: exactly the fields the law needs for it."""
    fields: dict[str, forms.Field] = {name: _field(name, transition, case, actor) for name in transition.requires}
    if transition.name == "triage":
        fields["content_category"] = content_category_field()
        fields["accused_organ"] = forms.ModelChoiceField(
            label="被检举控告单位（检举控告类填写，不会向其转送）",
            required=False,
            queryset=Organ.objects.filter(region_code__startswith=case.organ.region_code[:2]).order_by("path"),
        )
    if transition.name in ("request_review", "request_re_review"):
        fields["posted_on"] = forms.DateField(label="邮寄请求的邮戳日期（在途时间不计）", required=False, widget=DATE)
    if transition.name in ("start_re_review_hearing", "end_re_review_hearing"):
        fields["on"] = forms.DateField(
            label="听证开始（结束）日期", required=False, widget=DATE, initial=timezone.localdate
        )
    if transition.notice:  # offered only when the petitioner's name or address is unclear (Art. 23(2))
        fields["exemption"] = forms.CharField(
            label="不能书面告知的理由（信访人的姓名（名称）、住址不清）", widget=TEXT,
            initial="信访人未留姓名（名称）、住址，无法书面告知。",
        )
    fields["expected_version"] = forms.IntegerField(widget=forms.HiddenInput, initial=case.version)
    form_class = type(f"{transition.name.title()}Form", (forms.Form,), fields)
    form: forms.Form = form_class(data, prefix=transition.name)
    form.transition = transition  # type: ignore[attr-defined]
    form.needs_target = transition.name in ORGAN_GUARDS  # type: ignore[attr-defined]
    form.confirm = transition.name in CONFIRMED  # type: ignore[attr-defined]
    return form


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label="回访结果", choices=[("", "——请选择——"), *FollowUpOutcome.choices])
    note = forms.CharField(label="回访情况（何时、以何种方式联系，信访人的意见）", widget=TEXT)


class CorrectionForm(forms.Form):
    """更正登记内容: the registered text as it should read, and why (required)."""

    name = forms.CharField(label="姓名（名称）", required=False, max_length=100)
    id_number = ResidentIdField(label="证件号码", required=False, max_length=30)
    contact = forms.CharField(label="联系电话", required=False, max_length=50)
    address = forms.CharField(label="住址", required=False, max_length=200)
    request = forms.CharField(label="诉求", widget=TEXT)
    facts = forms.CharField(label="事实", required=False, widget=TEXT)
    reasons = forms.CharField(label="理由", required=False, widget=TEXT)
    reason = forms.CharField(
        label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "「更正理由」不能为空：请写明更正的原因（如：登记时笔误）"},
    )

    def __init__(self, *args: Any, anonymous: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if anonymous:  # an anonymous petition has no identity to correct
            for name in ("name", "id_number", "contact", "address"):
                del self.fields[name]


class SaveFilterForm(forms.Form):
    name = forms.CharField(label="名称", max_length=40, error_messages={"required": "「名称」不能为空"})


def bulk_form(name: str, organs: list[Organ], data: Any = None) -> forms.Form:
    """Bulk transfer or assignment: the receiving organ (nothing preselected) and, to assign, the period."""
    fields: dict[str, forms.Field] = {"target_organ": _must_choose(FIELD_LABELS["target_organ"], organ_groups(organs))}
    if name == "assign":
        fields["days"] = forms.IntegerField(label="指定办理期限（日）", min_value=1, max_value=365, initial=30)
    form: forms.Form = type("BulkForm", (forms.Form,), fields)(data)
    return form
