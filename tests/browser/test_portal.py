"""Issue 6's acceptance walk in Chromium: a newcomer submits online, keeps the receipt, and later follows the
petition through acceptance and the opinion, downloads it, rates it and requests review; a late request is
refused. axe-core checks every portal page, in normal and elder mode, and the pages fit a 360 px screen."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.browser.axe import serious_violations
from tests.browser.conftest import shot
from tests.factories import City, build_city
from tests.portal.helpers import VALID_ID, accept, serve_opinion, words_to_int
from xinfang.intake.models import Petition
from xinfang.intake.services import PetitionInput
from xinfang.org.models import Role
from xinfang.portal.services import submit_online

pytestmark = pytest.mark.django_db(transaction=True)
REQUEST = "请求补发拖欠的房屋征收补偿款八万元"


def accessible(page: Any, name: str) -> None:
    problems = serious_violations(page)
    assert problems == [], f"{name}: {problems}"


def answer_captcha(page: Any) -> None:
    label = page.locator("label[for=id_captcha_answer]").inner_text()
    found = re.search(r"：(\S+?)加(\S+?)等于几", label)
    assert found, label
    page.get_by_label("验证问题").fill(str(words_to_int(found.group(1)) + words_to_int(found.group(2))))


def fill_submission(page: Any, city: City, *, id_number: str) -> None:
    page.get_by_label("地区").select_option(label="甲县")
    page.get_by_label("机关、单位").select_option(label=city.county_housing.name)
    page.get_by_label("姓名（名称）").fill("王秀兰")
    page.get_by_label("证件号码").fill(id_number)
    page.get_by_label("联系电话").fill("13800001111")
    page.get_by_label("住址").fill("甲县城关镇幸福路8号")
    page.get_by_label("诉求", exact=False).first.fill(REQUEST)
    page.get_by_label("事实和理由").fill("2025年老房被征收，约定年底前付清补偿款，至今未付。")
    page.get_by_label("否", exact=True).check()  # not an accusation (Art. 30(3) is asked of everyone)
    answer_captcha(page)


def test_a_newcomer_submits_follows_downloads_rates_and_requests_review(page: Any) -> None:
    city = build_city()
    base = page.base_url
    page.goto(f"{base}/")
    accessible(page, "首页")
    page.get_by_role("link", name="开始填写").click()
    accessible(page, "网上信访")

    # A wrong checksum is caught, named, and nothing typed is lost.
    fill_submission(page, city, id_number="110105194912310021")
    page.get_by_role("button", name="提交").click()
    summary = page.get_by_test_id("error-summary")
    assert "证件号码" in summary.inner_text()
    assert page.get_by_label("诉求", exact=False).first.input_value() == REQUEST
    assert page.get_by_label("姓名（名称）").input_value() == "王秀兰"
    accessible(page, "网上信访（有错误）")
    shot(page, "portal-submit-error")

    page.get_by_label("证件号码").fill(VALID_ID)
    page.get_by_label("机关、单位").select_option(label=city.county_housing.name)
    answer_captcha(page)
    page.get_by_role("button", name="提交").click()
    number = page.get_by_test_id("receipt-number").inner_text().strip()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"XF\d{11}", number) and re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    accessible(page, "回执")
    shot(page, "portal-receipt")
    page.get_by_test_id("elder-toggle").click()
    assert page.get_by_test_id("receipt-code").inner_text().strip() == code  # still there in elder mode
    accessible(page, "回执（长辈模式）")
    shot(page, "portal-receipt-elder")

    # Staff find it registered in the workspace.
    triage = city.who(city.county_housing, Role.TRIAGE_OFFICER)
    triage.user.set_password("pw")
    triage.user.save()
    staff = page.context.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    desk = staff.new_page()
    desk.goto(f"{base}/work/login/")
    desk.get_by_label("用户名").fill(triage.user.username)
    desk.get_by_label("密码").fill("pw")
    desk.get_by_role("button", name="登录").click()
    desk.goto(f"{base}/work/cases/?q={number}")
    desk.get_by_role("link", name=number).click()
    assert desk.get_by_test_id("state").inner_text() == "登记"
    assert "网上信访" in desk.locator("#h-content + dl").inner_text()
    staff.close()

    # Later, in a new browser with only the receipt: acceptance shows.
    case = Petition.objects.get(number=number).cases.get()
    case = accept(city, case)
    later = page.context.browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 360, "height": 740}
    )
    phone = later.new_page()
    phone.goto(f"{base}/")
    phone.get_by_role("link", name="查询进度").first.click()
    phone.get_by_label("信访件编号").fill(number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    assert "已受理" in phone.get_by_test_id("stage").inner_text()
    assert re.search(r"受理告知最迟 \d{4}年\d+月\d+日", phone.get_by_test_id("deadlines").inner_text())
    fits(phone, "进度（360 px）")
    accessible(phone, "进度")

    # The opinion is issued and served; the petitioner downloads it, rates, and requests review.
    document = serve_opinion(city, case, timezone.localdate())
    phone.reload()
    assert "信访处理意见书已送达" in phone.get_by_test_id("stage").inner_text()
    with phone.expect_download() as download:
        phone.get_by_test_id("documents").get_by_role("link").first.click()
    assert Path(download.value.path()).read_bytes() == bytes(document.pdf)
    result = phone.locator('.rating[data-aspect="result"]')
    result.get_by_label("满意", exact=True).check()
    result.get_by_role("button", name="提交评价").click()
    assert "您的评价：满意" in phone.locator('.rating[data-aspect="result"]').inner_text()
    box = phone.get_by_test_id("request")
    assert city.county_gov.name in box.inner_text() and "最迟于" in box.inner_text()
    accessible(phone, "进度（可评价、可请求复查）")
    shot(phone, "portal-progress-360")
    phone.get_by_test_id("elder-toggle").click()
    accessible(phone, "进度（长辈模式）")
    fits(phone, "进度（长辈模式，360 px）")
    shot(phone, "portal-progress-360-elder")
    box = phone.get_by_test_id("request")
    box.get_by_label("请求复查的理由").fill("补偿标准过低")
    box.get_by_role("checkbox").check()
    box.get_by_role("button", name="在网上请求复查").click()
    assert "正在复查" in phone.get_by_test_id("stage").inner_text()
    assert "已收到您的复查请求" in phone.get_by_test_id("steps").inner_text()
    later.close()


def test_a_late_review_request_is_refused_in_the_browser(page: Any) -> None:
    city = build_city()
    long_ago = timezone.now() - dt.timedelta(days=45)
    case, code = submit_online(
        PetitionInput(
            channel="online",
            request=REQUEST,
            facts="补偿款至今未付",
            region_code="990102",
            name="李四",
            address="甲县某路1号",
        ),
        city.county_housing,
        now=long_ago,
    )
    served = long_ago + dt.timedelta(days=1)  # served 44 days ago: the 30-day window has passed
    with time_machine.travel(served, tick=False):
        serve_opinion(city, accept(city, case), timezone.localdate(served))
    page.goto(f"{page.base_url}/public/track/")
    page.get_by_label("信访件编号").fill(case.petition.number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.get_by_label("请求复查的理由").fill("补偿标准过低")
    page.get_by_test_id("request").get_by_role("checkbox").check()
    page.get_by_role("button", name="在网上请求复查").click()
    error = page.get_by_test_id("request-error").inner_text()
    assert "届满" in error and "第三十五条" in error
    assert "信访处理意见书已送达" in page.get_by_test_id("stage").inner_text()


def fits(page: Any, name: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: page is {width} px wide"


PORTAL_PAGES = ["/", "/public/submit/", "/public/track/", "/public/organs/", "/public/help/", "/public/hearings/"]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_portal_page_passes_axe_and_fits_360_px(page: Any, elder: bool) -> None:
    build_city()
    base = page.base_url
    page.set_viewport_size({"width": 360, "height": 740})
    if elder:
        page.goto(f"{base}/")
        page.get_by_test_id("elder-toggle").click()
        assert page.locator("body.elder").count() == 1
    for path in [*PORTAL_PAGES, "/public/roadmap/"]:
        page.goto(f"{base}{path}")
        assert page.locator("body.elder").count() == (1 if elder else 0)
        accessible(page, f"{path}（{'长辈模式' if elder else '标准'}）")
        if path != "/public/roadmap/":  # the diagram scrolls inside its own box
            fits(page, path)
    shot(page, f"portal-hearings-{'elder' if elder else 'normal'}")
