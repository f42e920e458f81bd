"""A clerk's first minutes in the browser: log in, register a letter by keyboard, find it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot
from tests.factories import build_city
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_registers_a_letter_by_keyboard_and_finds_it(page: object) -> None:
    city = build_city()
    clerk = city.who(city.bureau, Role.REGISTRAR)
    clerk.user.set_password("clerk-pass")
    clerk.user.save()
    p = page
    base = p.base_url  # type: ignore[attr-defined]
    p.goto(f"{base}/work/")  # type: ignore[attr-defined]
    p.get_by_label("用户名").fill(clerk.user.username)  # type: ignore[attr-defined]
    p.get_by_label("密码").fill("clerk-pass")  # type: ignore[attr-defined]
    p.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    p.get_by_role("heading", name="待我办理").wait_for()  # type: ignore[attr-defined]
    shot(p, "workspace-home")
    p.get_by_role("link", name="来信", exact=True).click()  # type: ignore[attr-defined]
    p.get_by_label("姓名（名称）").fill("孙某")  # type: ignore[attr-defined]
    p.keyboard.press("Tab")  # type: ignore[attr-defined]
    p.keyboard.type("110105194912310021")  # type: ignore[attr-defined]  # wrong check digit
    p.locator("#id-check").get_by_text("校验位不正确").wait_for()  # type: ignore[attr-defined]
    p.get_by_label("证件号码", exact=True).fill("11010519491231002X")  # type: ignore[attr-defined]
    p.get_by_label("诉求", exact=True).fill("要求拆除占用消防通道的违章建筑")  # type: ignore[attr-defined]
    p.get_by_label("事实", exact=True).fill("小区三号楼旁违章搭建车棚")  # type: ignore[attr-defined]
    shot(p, "workspace-register")
    p.get_by_label("理由", exact=True).press("Control+Enter")  # type: ignore[attr-defined]
    p.get_by_text("已登记，信访件编号").wait_for()  # type: ignore[attr-defined]
    assert p.get_by_test_id("state").inner_text() == "登记"  # type: ignore[attr-defined]
    shot(p, "workspace-case")
    p.get_by_role("link", name="案件查询").click()  # type: ignore[attr-defined]
    p.get_by_label("全文检索").fill("消防通道")  # type: ignore[attr-defined]
    p.get_by_role("button", name="查询").click()  # type: ignore[attr-defined]
    assert p.locator("table.cases tbody tr").count() == 1  # type: ignore[attr-defined]
