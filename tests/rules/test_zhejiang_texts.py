"""Under the 浙江 profile (an organ in 330106) the texts name 浙江's periods, not the national ones.

Expectations written by hand from the articles:
- 《浙江省信访条例》（2016修订）第二十条第一款: "不能当场答复的，在五个工作日内按下列规定作出处理……（二）依法应当由
  本国家机关处理的，应当受理并书面告知信访人"; 第二款: 转送、交办的 "自收到之日起五个工作日内决定是否受理，并书面告知
  信访人". So disposition and the written receipt notice: 5个工作日
  (national 《信访工作条例》第二十二条、第二十三条: 15日).
- 同条例第二十三条: "一般应当自受理之日起三十日内办结": 30日 (national 第三十四条: 60日). Its 60-day extension is
  looser than the national 30 days and does not apply: the extension stays "不超过30日".
- 同条例第二十四条 leaves 复查、复核 to national rules: 30日 (《信访工作条例》第三十五条、第三十六条).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client

from tests.documents.test_services import opinion_ready
from tests.factories import City, at, build_city
from xinfang.documents.models import Document
from xinfang.intake.models import Category
from xinfang.org.models import Organ, Role
from xinfang.rules import period_days, period_words, term

ZHEJIANG = "330106"  # 杭州市西湖区
NATIONAL = "990102"  # the fictional test city: no regional profile


@pytest.mark.parametrize(
    ("rule_id", "zhejiang", "national"),
    [
        ("bureau_disposition", "5个工作日", "15日"),
        ("receipt_notice", "5个工作日", "15日"),
        ("handling", "30日", "60日"),
        ("handling_extension", "不超过30日", "不超过30日"),
        ("review_request", "30日", "30日"),
        ("review", "30日", "30日"),
        ("re_review_request", "30日", "30日"),
        ("transfer_objection", "5个工作日", "5个工作日"),
    ],
)
def test_period_words_under_the_zhejiang_profile(rule_id: str, zhejiang: str, national: str) -> None:
    day = dt.date(2026, 6, 1)
    assert period_words(rule_id, ZHEJIANG, day) == zhejiang
    assert period_words(rule_id, "330000", day) == zhejiang  # the province itself
    assert period_words(rule_id, NATIONAL, day) == national
    assert period_words(rule_id, None, day) == national
    assert period_words(rule_id, "320100", day) == national  # 江苏 is not 浙江


def test_the_zhejiang_words_cite_the_zhejiang_articles() -> None:
    day = dt.date(2026, 6, 1)
    assert term("receipt_notice", ZHEJIANG, day).basis() == "《浙江省信访条例（2016修订）》第二十条第一款第二项、第二款"
    assert term("bureau_disposition", ZHEJIANG, day).basis() == "《浙江省信访条例（2016修订）》第二十条第一款"
    assert term("handling", ZHEJIANG, day).basis() == "《浙江省信访条例（2016修订）》第二十三条"
    assert term("handling", NATIONAL, day).basis() == "《信访工作条例》第三十四条"
    assert term("receipt_notice", ZHEJIANG, day).regional and not term("review_request", ZHEJIANG, day).regional


def test_form_bounds_and_format_texts() -> None:
    day = dt.date(2026, 6, 1)
    assert period_days("handling_extension", ZHEJIANG, day) == 30  # 浙江's 60 days are looser: not applied
    assert period_days("handling", ZHEJIANG, day) == 30 and period_days("handling", NATIONAL, day) == 60
    assert period_words("handling_extension", ZHEJIANG, day, ceiling=False) == "30日"
    with pytest.raises(ValueError, match="交办机关指定"):
        period_days("assignment_report", ZHEJIANG, day)


def test_the_period_tag_reads_the_region_of_a_code_an_organ_or_a_case() -> None:
    organ = Organ(name="杭州市西湖区住房和城乡建设局", region_code=ZHEJIANG)
    case = SimpleNamespace(organ=organ)
    template = Template(
        "{% load periods %}{% period 'bureau_disposition' code %}|{% period 'handling' organ %}|"
        "{% period 'receipt_notice' case %}|{% period 'handling' %}|{% period 'handling_extension' case %}|"
        "{% period 'handling_extension' case ceiling=False %}|{% period_basis 'handling' case %}"
    )
    text = template.render(Context({"code": ZHEJIANG, "organ": organ, "case": case}))
    assert text == "5个工作日|30日|5个工作日|60日|不超过30日|30日|《浙江省信访条例（2016修订）》第二十三条"


def test_the_portal_help_names_the_review_windows() -> None:
    # 浙江 Art. 24 leaves 复查、复核 to the national rules, so the help reads the same there.
    for region in (None, ZHEJIANG):
        page = render_to_string("portal/help.html", {"region": region})
        assert "可以自收到书面答复之日起30日内，向原办理机关的上一级机关请求复查" in page
        assert "可以自收到之日起30日内向复查机关的上一级机关请求复核" in page
        assert "《信访工作条例》第三十五条" in page and "《信访工作条例》第三十六条第一款" in page


def test_receipt_notice_route_names_the_zhejiang_handling_period() -> None:
    from xinfang.documents.services import ROUTE
    from xinfang.rules import all_period_words

    when = dt.date(2026, 6, 1)
    zhejiang = ROUTE[Category.GRIEVANCE].format(**all_period_words(ZHEJIANG, when))
    national = ROUTE[Category.GRIEVANCE].format(**all_period_words(NATIONAL, when))
    assert "自受理之日起30日内办结" in zhejiang
    assert "自受理之日起60日内办结" in national


def _move_to_zhejiang(city: City) -> None:
    """The test city's organs, re-coded into 杭州市 (3301xx), so that the 浙江 profile applies."""
    for old, new in (("990100", "330100"), ("990102", ZHEJIANG), ("990103", "330105")):
        Organ.objects.filter(region_code=old).update(region_code=new)
    for field in vars(city).values():
        if isinstance(field, Organ):
            field.refresh_from_db()


@pytest.mark.django_db
def test_a_zhejiang_case_and_its_opinion_page_show_zhejiang_periods() -> None:
    city = build_city()
    _move_to_zhejiang(city)
    case = opinion_ready(city)
    handler = Client()
    handler.force_login(city.who(city.county_housing, Role.HANDLER).user)
    approver = Client()
    approver.force_login(city.who(city.county_housing, Role.APPROVER).user)
    with time_machine.travel(at("2026-04-13"), tick=False):
        case_page = handler.get(f"/work/cases/{case.pk}/").content.decode()
        # The handling clock (started at acceptance) cites 浙江 Art. 23's 30 days.
        assert "浙江省信访条例" in case_page
        handler.post(f"/work/cases/{case.pk}/documents/new/", {"kind": "handling_opinion"})
        document = Document.objects.get(case=case)
        assert "30日内" in document.content["review_right"]
        fields = {
            **document.content,
            "opinion": "经调查核实，补偿款已足额支付，对信访人的请求不予支持。",
            "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条",
        }
        approver.post(f"/work/documents/{document.pk}/", {**fields, "action": "approve"})
        handler.post(f"/work/documents/{document.pk}/", {**fields, "action": "issue"})
        page = handler.get(f"/work/documents/{document.pk}/").content.decode()
    assert "送达之日起计算信访人请求复查的30日期限。" in page
