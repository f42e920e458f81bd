"""Issue 21's acceptance: a handler refers a case to mediation, records a session and issues the 调解协议书; the
case is settled and the petitioner downloads the served agreement on the portal, on a 360 px phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.axe import serious_violations
from tests.browser.conftest import shot
from tests.factories import build_city
from tests.mediation.helpers import committee, investigating
from xinfang.documents.models import Document
from xinfang.org.models import Role
from xinfang.portal.services import issue_query_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _login(page: Any, person: Any) -> None:
    person.user.set_password("pw")
    person.user.save()
    page.goto(f"{page.base_url}/work/login/")
    page.get_by_label("用户名").fill(person.user.username)
    page.get_by_label("密码").fill("pw")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="待我办理").wait_for()


def _no_error(page: Any) -> None:
    page.locator(".messages").wait_for()
    problems = page.locator(".messages .error")
    assert problems.count() == 0, problems.all_inner_texts()


def test_a_handler_mediates_and_the_petitioner_downloads_the_agreement(page: Any) -> None:
    city = build_city()
    today = timezone.localdate().isoformat()
    case = investigating(city, today)
    committee(city)
    code = issue_query_code(case, city.who(city.county_housing, Role.REGISTRAR))
    number = case.petition.number

    # The handler refers the case with both parties' consent.
    _login(page, city.who(city.county_housing, Role.HANDLER))
    page.goto(f"{page.base_url}/work/cases/{case.pk}/")
    box = page.locator('details[data-action="refer_to_mediation"]')
    box.locator("summary").click()
    box.get_by_role("group", name="方式").get_by_label("调解", exact=True).check()
    box.get_by_label("调解组织").select_option(label="甲县城关镇人民调解委员会")
    box.get_by_label("调解员").select_option(label="李调解（甲县城关镇人民调解委员会）")
    box.get_by_label("对方当事人").fill("甲县某房屋征收服务中心")
    box.get_by_role("button", name="移交调解").click()
    _no_error(page)
    assert page.get_by_test_id("referral-status").inner_text() == "调解中"

    # A session, then the agreement the parties signed.
    session = page.locator('details[data-action="session"]')
    session.get_by_label("地点").fill("城关镇人民调解室")
    session.get_by_label("参加人员").fill("王某某；征收服务中心张某；调解员李调解")
    session.get_by_label("调解情况").fill("双方就补偿款数额和支付期限达成一致。")
    session.get_by_role("button", name="登记调解记录").click()
    _no_error(page)
    assert "城关镇人民调解室" in page.get_by_test_id("sessions").inner_text()
    assert serious_violations(page) == []
    shot(page, "mediation-session")
    agreement = page.locator('details[data-action="agreement"]')
    agreement.locator("summary").click()
    agreement.get_by_role("button", name="起草协议书").click()
    page.get_by_test_id("document-status").wait_for()
    for label, value in {
        "达成一致的意见": "征收服务中心于本月底前补付补偿款12.5万元。",
        "履行方式和期限": "银行转账至信访人账户。",
        "当事人签名": "申请人：王某某（签名）　对方当事人：甲县某房屋征收服务中心（盖章）",
    }.items():
        page.get_by_label(re.compile(f"^{label}（必备）$")).fill(value)
    page.get_by_role("button", name="保存").click()
    _no_error(page)
    page.get_by_role("button", name="印发").click()
    page.get_by_test_id("document-number").wait_for()
    _no_error(page)
    serve = page.get_by_test_id("serve-form")
    serve.get_by_label("送达方式").select_option(label="当面送达")
    serve.get_by_role("button", name="登记送达").click()
    page.get_by_test_id("service").wait_for()
    page.goto(f"{page.base_url}/work/cases/{case.pk}/")
    assert page.get_by_test_id("state").inner_text() == "达成调解和解协议"
    assert page.get_by_test_id("mediation-status").inner_text() == "达成协议"
    assert serious_violations(page) == []
    shot(page, "mediation-settled")

    # The petitioner, on a phone, downloads the served agreement.
    phone_context = page.context.browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 360, "height": 740}
    )
    phone = phone_context.new_page()
    phone.goto(f"{page.base_url}/public/track/")
    phone.get_by_label("信访件编号").fill(number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    documents = phone.get_by_test_id("documents")
    assert "调解协议书" in documents.inner_text()
    with phone.expect_download() as download:
        documents.get_by_role("link").first.click()
    document = Document.objects.get(case=case, kind="mediation_agreement")
    assert Path(download.value.path()).read_bytes() == bytes(document.pdf or b"")
    shot(phone, "mediation-portal")
    phone_context.close()
