"""Issue 12 item 6 in Chromium: a petitioner checks their receipt's fingerprint on 核验记录, under the site's CSP,
and sees plainly when the record was altered in the database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.axe import serious_violations
from tests.browser.conftest import shot
from tests.factories import build_city
from tests.portal.helpers import VALID_ID
from xinfang.intake.models import Petition
from xinfang.intake.services import PetitionInput
from xinfang.portal.fingerprint import grouped, registered
from xinfang.portal.services import submit_online

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_petitioner_verifies_the_receipt_and_sees_an_alteration(page: Any) -> None:
    city = build_city()
    case, code = submit_online(
        PetitionInput(
            channel="online",
            request="请求补发拖欠的房屋征收补偿款八万元",
            region_code=city.county_housing.region_code,
            name="王秀兰",
            id_number=VALID_ID,
            contact="13800001111",
            address="甲县城关镇幸福路8号",
        ),
        city.county_housing,
    )
    fingerprint = grouped(registered(case.petition))
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    def check() -> str:
        page.goto(f"{page.base_url}/")
        page.get_by_role("link", name="核验记录").click()
        page.get_by_label("信访件编号").fill(case.petition.number)
        page.get_by_label("查询码").fill(code)
        page.get_by_label("指纹（SM3）").fill(fingerprint)
        page.get_by_role("button", name="核验").click()
        return str(page.get_by_test_id("verify-result").inner_text())

    assert "未被改动" in check()
    assert serious_violations(page) == []
    shot(page, "portal-verify-unchanged")
    Petition.objects.filter(pk=case.petition.pk).update(request="请求补发拖欠的房屋征收补偿款二十万元")
    assert "不一致" in check()
    shot(page, "portal-verify-changed")
    assert blocked == []
