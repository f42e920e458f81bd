"""Supervision in the browser (issue 16): the supervisor finds overdue cases, opens supervision orders on two of
them (two handling organs: two orders), sees one organ's written reply arrive and urges the other, and reviews
the quality of a handled case; and a
recommendation from draft to written feedback."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import shot
from tests.browser.test_clerk_day import login, plain_words
from tests.factories import build_city
from tests.supervision.helpers import accepted
from tests.supervision.test_reviews import handled
from xinfang.org.models import Role
from xinfang.supervision.models import Order, OrderState, Recommendation, RecState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _long_ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def visit(p: Any, name: str) -> None:
    plain_words(p, name)
    shot(p, f"supervision-{name}")


def test_supervisor_orders_two_overdue_cases_one_answered_the_other_urged(page: Any) -> None:
    city = build_city()
    housing_case = accepted(city, _long_ago(100), request="请求补发拖欠的房屋征收补偿款")
    land_case = accepted(city, _long_ago(100), where=city.county_land, request="请求办理不动产登记")
    closed_case = handled(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    handler = city.who(city.county_housing, Role.HANDLER)
    p = page

    login(p, supervisor)
    p.get_by_role("link", name="督查督办", exact=True).click()
    p.get_by_test_id("new-order").click()
    candidates = p.get_by_test_id("candidates")
    assert housing_case.petition.number in candidates.inner_text()
    p.get_by_label(housing_case.petition.number).check()
    p.get_by_label(land_case.petition.number).check()
    p.get_by_label("督办事由").select_option(label="超期未办结")
    p.get_by_label("督办要求").fill("该事项已超过办理期限，请立即办结并书面答复。")
    visit(p, "01-new-order")
    p.get_by_role("button", name="督办").click()
    p.get_by_test_id("order-facts").wait_for()
    assert Order.objects.count() == 2
    visit(p, "02-order")
    housing_order = Order.objects.get(handling_organ=city.county_housing)
    land_order = Order.objects.get(handling_organ=city.county_land)

    # The handling organ sees the order on its home page and answers in writing.
    login(p, handler)
    p.get_by_test_id("home-orders").get_by_role("link", name=str(housing_order)).click()
    p.get_by_label("答复内容").fill("已完成调查核实，处理意见书已送达信访人。")
    p.get_by_role("button", name="书面答复").click()
    p.get_by_text("已答复").first.wait_for()
    visit(p, "03-handler-reply")

    # The supervisor sees the reply arrive, and urges the other organ.
    login(p, supervisor)
    p.goto(f"{p.base_url}/work/supervision/{housing_order.pk}/")
    assert "已完成调查核实" in p.get_by_test_id("replies").inner_text()
    p.get_by_role("button", name="办结").click()
    p.get_by_test_id("order-state").get_by_text("已办结").wait_for()
    p.goto(f"{p.base_url}/work/supervision/{land_order.pk}/")
    p.get_by_label("说明").fill("请于新的期限内书面答复。")
    p.get_by_role("button", name="催办").click()
    p.get_by_test_id("order-state").get_by_text(re.compile("已催办")).wait_for()
    visit(p, "04-urged")
    land_order.refresh_from_db()
    housing_order.refresh_from_db()
    assert (housing_order.state, land_order.state, land_order.urged) == (OrderState.CLOSED, OrderState.URGED, 1)

    # Quality review of a handled case: the record pre-fills the checks, the reviewer completes and confirms.
    p.get_by_role("link", name="督查督办", exact=True).click()
    p.get_by_role("link", name="质量评查").click()
    p.get_by_label(closed_case.petition.number).check()
    p.get_by_label("评查批次").fill("规范性评查（本月）")
    p.get_by_role("button", name="开始评查").click()
    p.get_by_test_id("review-items").wait_for()
    visit(p, "05-review-prefilled")
    p.get_by_label("实质性解决问题，没有程序性办结、推诿敷衍", exact=True).select_option(label="符合")
    p.get_by_role("button", name="确认评查结论").click()
    p.get_by_test_id("review-state").get_by_text(re.compile("已确认")).wait_for()
    p.get_by_role("link", name="返回质量评查").click()
    assert "甲县住房和城乡建设局" in p.get_by_test_id("review-results").inner_text()
    visit(p, "06-review-results")


def test_a_recommendation_from_draft_to_written_feedback(page: Any) -> None:
    city = build_city()
    case = accepted(city, _long_ago(20))
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    handler = city.who(city.county_housing, Role.HANDLER)
    p = page

    login(p, supervisor)
    p.goto(f"{p.base_url}/work/cases/{case.pk}/")
    p.get_by_role("link", name="提出建议").click()
    p.get_by_label("建议类别").select_option(label="改进工作的建议")
    p.get_by_label("主送机关").select_option(label="甲县住房和城乡建设局")
    p.get_by_label("发现的问题").fill("处理意见书未告知请求复查的期限和机关。")
    p.get_by_label("建议内容").fill("建议规范处理意见书的告知内容，逐件补正。")
    p.get_by_role("button", name="起草建议书").click()
    p.get_by_test_id("rec-state").get_by_text("草稿").wait_for()
    visit(p, "07-recommendation-draft")
    p.get_by_role("button", name="印发建议书").click()
    p.get_by_test_id("rec-state").get_by_text("已印发").wait_for()
    p.get_by_label("送达方式").select_option(label="当面送达")
    p.get_by_label("送达日期").fill(timezone.localdate().isoformat())
    p.get_by_role("button", name="登记送达").click()
    p.get_by_test_id("rec-state").get_by_text(re.compile("已送达")).wait_for()
    visit(p, "08-recommendation-served")
    rec = Recommendation.objects.get()

    login(p, handler)
    p.goto(f"{p.base_url}/work/supervision/recommendations/{rec.pk}/")
    p.get_by_label("采纳", exact=True).check()
    p.get_by_label(re.compile("书面反馈")).fill("已采纳：已逐件补正处理意见书的告知内容。")
    p.get_by_role("button", name="登记书面反馈").click()
    p.get_by_test_id("feedback").wait_for()
    visit(p, "09-recommendation-feedback")
    rec.refresh_from_db()
    assert (rec.state, rec.adopted) == (RecState.ANSWERED, True)
