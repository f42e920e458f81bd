"""A clerk's working day in the browser (issue 18): four mornings from their homes, the desk receipt on the portal,
phone width, and no English word or internal identifier on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import shot
from tests.factories import build_city, register
from xinfang.lifecycle.engine import perform
from xinfang.org.models import Role
from xinfang.rules import default_rulebook

pytestmark = pytest.mark.django_db(transaction=True)

# Latin words a Chinese user may meet on these pages: file formats, the hash and the number prefix.
ALLOWED = {"PDF", "DOCX", "SM3", "XF"}
PHONE_WIDTH = 390


def plain_words(p: Any, where: str) -> None:
    """The visible text holds no English word, no rule id and no region code."""
    # The query code and the portal's address are verbatim by nature: the receipt marks them.
    text = p.evaluate(
        "() => { const b = document.body.cloneNode(true);"
        " b.querySelectorAll('[data-verbatim]').forEach(e => e.remove()); return b.textContent; }"
    )
    english = {w for w in re.findall(r"[A-Za-z]{2,}\d*", text) if w not in ALLOWED and not w.startswith("XF")}
    assert not english, f"{where}: {sorted(english)}"
    rule_ids = {r for r in default_rulebook().rules if r in text}
    assert not rule_ids, f"{where}: {sorted(rule_ids)}"
    assert not re.search(r"(?<!\d)99\d{4}(?!\d)", text), f"{where}: 行政区划代码"


def fits(p: Any, where: str) -> None:
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{where}: {width}px"


def login(p: Any, person: Any) -> None:
    person.user.set_password("day-pass")
    person.user.save()
    p.context.clear_cookies()
    p.goto(f"{p.base_url}/work/login/")
    p.get_by_label("用户名").fill(person.user.username)
    p.get_by_label("密码").fill("day-pass")
    p.get_by_role("button", name="登录").click()
    p.get_by_role("heading", name=re.compile("您好")).wait_for()


def visit(p: Any, name: str) -> None:
    plain_words(p, name)
    shot(p, f"clerk-day-{name}")


def test_four_mornings_from_their_homes(page: Any) -> None:
    city = build_city()
    fresh = register(city, channel="letter", request="可可小城小区停水已经三天", name="周某某")
    sent = register(city, request="小区电梯长期停运", name="吴某某")
    triage_officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    perform(sent, "triage", triage_officer, {"category": "grievance"})
    perform(sent, "transfer", triage_officer, {"target_organ": city.county_housing.pk})
    late = register(city, where=city.county_bureau, when="2026-01-05", request="道路破损无人维修")
    p = page

    # The registrar: no triage queue of someone else's, registration one click away, a receipt at the desk.
    login(p, city.who(city.bureau, Role.REGISTRAR))
    assert p.get_by_role("link", name="登记", exact=True).count() == 1
    visit(p, "01-registrar-home")
    p.goto(f"{p.base_url}/work/cases/{fresh.pk}/")
    p.get_by_role("button", name="打印回执（含查询码）").click()
    code = p.get_by_test_id("receipt-code").inner_text()
    visit(p, "02-registrar-receipt")
    portal = p.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    phone = portal.new_page()
    phone.goto(f"{p.base_url}/public/track/")
    phone.get_by_label("信访件编号").fill(fresh.petition.number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    phone.get_by_test_id("stage").wait_for()
    assert fresh.petition.number in phone.locator("main").inner_text()
    shot(phone, "clerk-day-03-portal-with-desk-code")
    portal.close()

    # The triage officer: the fresh letter is in the queue; an unchosen category is refused with a summary.
    login(p, triage_officer)
    queue = p.locator("#h-queue").locator("xpath=..")
    assert fresh.petition.number in queue.inner_text()
    visit(p, "04-triage-home")
    queue.get_by_role("link", name=fresh.petition.number).click()
    box = p.locator('details[data-action="triage"]')
    box.locator("summary").click()
    assert box.get_by_label("类别", exact=True).input_value() == ""
    box.get_by_role("button").click()
    summary = p.get_by_test_id("error-summary")
    summary.wait_for()
    assert "请选择类别" in summary.inner_text()
    assert p.evaluate("document.activeElement.dataset.testid") == "error-summary"
    visit(p, "05-triage-refused")
    box = p.locator('details[data-action="triage"]')
    box.get_by_label("类别", exact=True).select_option(label="申诉求决类")
    box.get_by_role("button").click()
    box = p.locator('details[data-action="transfer"]')
    box.locator("summary").click()
    box.get_by_label("接收机关", exact=True).select_option(label="甲县自然资源局")
    assert "甲县自然资源局" in box.get_by_test_id("confirm").inner_text()
    visit(p, "06-triage-transfer-named")
    box.get_by_role("button").click()
    p.locator(".messages .success").wait_for()

    # The handler at the county department: the case sent yesterday waits on the home page.
    login(p, city.who(city.county_housing, Role.HANDLER))
    assert sent.petition.number in p.locator("main").inner_text()
    assert p.get_by_role("link", name="登记", exact=True).count() == 0
    visit(p, "07-handler-home")
    p.get_by_role("link", name=sent.petition.number).first.click()
    p.get_by_test_id("timeline").wait_for()
    visit(p, "08-handler-case")

    # The supervisor at the city government: the county's overdue duty, not a desk queue.
    login(p, city.who(city.gov, Role.SUPERVISOR))
    overdue = p.locator("#h-subtree").locator("xpath=..")
    assert late.petition.number in overdue.inner_text() and "甲县信访局" in overdue.inner_text()
    assert p.locator("#h-queue").count() == 0
    visit(p, "09-supervisor-home")
    p.goto(f"{p.base_url}/rules/")
    visit(p, "10-supervisor-rules")

    # Phone width: home and case page without sideways scrolling.
    login(p, triage_officer)
    p.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    p.goto(f"{p.base_url}/work/")
    fits(p, "首页（390 px）")
    shot(p, "clerk-day-11-home-390")
    p.goto(f"{p.base_url}/work/cases/{fresh.pk}/")
    fits(p, "案件页（390 px）")
    shot(p, "clerk-day-12-case-390")


def test_correction_print_views_and_bulk_transfer(page: Any) -> None:
    city = build_city()
    typo = register(city, request="可可小城小区停水已经三填", name="郑某某")
    triage_officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    first, second = register(city, request="小区电梯长期停运"), register(city, request="小区路灯不亮")
    for case in (first, second):
        perform(case, "triage", triage_officer, {"category": "grievance"})
    p = page

    # The registrar corrects a typo: without a reason the summary takes the focus; with one, the timeline says it.
    login(p, city.who(city.bureau, Role.REGISTRAR))
    p.goto(f"{p.base_url}/work/cases/{typo.pk}/")
    p.get_by_role("link", name="更正登记内容").click()
    p.get_by_label("诉求", exact=True).fill("可可小城小区停水已经三天")
    p.get_by_role("button", name="保存更正").click()
    summary = p.get_by_test_id("error-summary")
    summary.wait_for()
    assert "更正理由" in summary.inner_text()
    assert p.evaluate("document.activeElement.dataset.testid") == "error-summary"
    visit(p, "13-correction-refused")
    p.get_by_label("更正理由（必填）").fill("登记时笔误")
    p.get_by_role("button", name="保存更正").click()
    timeline = p.get_by_test_id("timeline")
    timeline.wait_for()
    assert "更正登记内容" in timeline.inner_text() and "已经三填" in timeline.inner_text()
    assert "已经三天" in p.locator("#h-content").locator("xpath=..").inner_text()
    visit(p, "14-correction-in-timeline")

    # The case on paper: the print button, and nothing of the screen's menu when printed.
    p.get_by_role("link", name="打印案件").click()
    p.get_by_test_id("case-print").wait_for()
    visit(p, "15-case-print")
    p.emulate_media(media="print")
    assert not p.locator("header.top").is_visible() and not p.get_by_role("button", name="打印").is_visible()
    p.emulate_media(media="screen")

    # The triage officer transfers two cases at once: type to find the organ, confirm it by name, see each result.
    login(p, triage_officer)
    p.goto(f"{p.base_url}/work/cases/?sort=number")
    for case in (first, second):
        p.get_by_label(f"选择 {case.petition.number}").check()
    visit(p, "16-list-ticked")
    p.get_by_label("对勾选的案件").select_option(label="批量转送")
    p.get_by_role("button", name="下一步：选择机关").click()
    p.get_by_test_id("organ-filter").fill("住房")
    visible = p.locator("#id_target_organ option:not([hidden])").all_inner_texts()
    assert "甲县住房和城乡建设局" in visible and "甲县自然资源局" not in visible
    assert p.locator("#id_target_organ").input_value() == ""  # typing chose nothing
    visit(p, "17-bulk-organ-filter")
    p.locator("#id_target_organ").select_option(label="甲县住房和城乡建设局")
    p.get_by_role("button", name="下一步：确认").click()
    assert "甲县住房和城乡建设局" in p.get_by_test_id("bulk-confirm-text").inner_text()
    visit(p, "18-bulk-confirm")
    p.get_by_role("button", name="确认转送到 甲县住房和城乡建设局").click()
    results = p.get_by_test_id("bulk-results")
    assert "2 件已转送" in results.inner_text()
    visit(p, "19-bulk-results")

    # The routing slip of one of them.
    p.get_by_role("link", name=first.petition.number).click()
    p.get_by_role("link", name=re.compile("打印转送单")).click()
    slip = p.get_by_test_id("routing-slip")
    assert "信访事项转送单" in slip.inner_text() and "甲县住房和城乡建设局" in slip.inner_text()
    visit(p, "20-routing-slip")
    p.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    fits(p, "转送单（390 px）")
    p.goto(f"{p.base_url}/work/cases/")
    fits(p, "案件查询（390 px）")
