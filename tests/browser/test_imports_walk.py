"""Issue 20's browser acceptance: map a sample 12345 export, dry-run it, import it with the progress bar (the real
background worker), verify two items into petitions and refuse one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.axe import AXE, serious_violations
from tests.browser.conftest import shot
from tests.factories import build_city, staff
from tests.imports.helpers import csv_bytes, good_row
from xinfang.imports.models import ImportItem, ItemStatus
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _axe(p: Any) -> list[dict[str, Any]]:
    """axe-core findings; the script is evaluated through the DevTools protocol, which the page's CSP (no inline
    script) does not govern, so that the page runs under its real policy, progress.js included."""
    if not p.evaluate("() => typeof window.axe !== 'undefined'"):
        p.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return serious_violations(p)


def test_map_dry_run_import_with_progress_verify_two_refuse_one(page: object) -> None:
    city = build_city()
    clerk = staff(city.bureau, Role.REGISTRAR, Role.TRIAGE_OFFICER, name="导入员")
    clerk.user.set_password("clerk-pass")
    clerk.user.save()
    bad = good_row(4)
    bad[2] = ""
    sample = csv_bytes([good_row(1), good_row(2), good_row(3), bad])
    p: object = page
    base = p.base_url  # type: ignore[attr-defined]
    p.goto(f"{base}/work/")  # type: ignore[attr-defined]
    p.get_by_label("用户名").fill(clerk.user.username)  # type: ignore[attr-defined]
    p.get_by_label("密码").fill("clerk-pass")  # type: ignore[attr-defined]
    p.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    p.get_by_role("heading", name="待我办理").wait_for()  # type: ignore[attr-defined]
    p.goto(f"{base}/work/imports/")  # type: ignore[attr-defined]
    p.get_by_label("来源名称").fill("西地市12345热线")  # type: ignore[attr-defined]
    p.get_by_label("来源类型").select_option("hotline_12345")  # type: ignore[attr-defined]
    p.get_by_label("登记为信访件时的渠道").select_option("phone")  # type: ignore[attr-defined]
    p.get_by_role("button", name="添加").click()  # type: ignore[attr-defined]
    p.get_by_text("已添加导入来源").wait_for()  # type: ignore[attr-defined]
    assert _axe(p) == []
    p.locator("input[type=file]").set_input_files(  # type: ignore[attr-defined]
        {"name": "12345工单.csv", "mimeType": "text/csv", "buffer": sample}
    )
    p.get_by_role("button", name="上传并试运行").click()  # type: ignore[attr-defined]
    p.get_by_role("heading", name="列对应关系").wait_for()  # type: ignore[attr-defined]
    for label, column in (
        ("来源编号（必填）", "工单编号"),
        ("来源登记时间（必填）", "来电时间"),
        ("诉求（必填）", "诉求内容"),
        ("姓名（名称）", "来电人"),
        ("联系电话", "来电号码"),
        ("住址", "联系地址"),
        ("问题发生地", "所属区县代码"),
    ):
        p.get_by_label(label, exact=True).select_option(column)  # type: ignore[attr-defined]
    shot(p, "imports-mapping")
    p.get_by_role("button", name="保存列对应关系").click()  # type: ignore[attr-defined]
    counts = p.get_by_test_id("dry-counts")  # type: ignore[attr-defined]
    assert counts.inner_text().startswith("将新建 3 件，重复 0 行，有误 1 行")
    assert "「诉求」不能为空" in p.get_by_test_id("dry-run").inner_text()  # type: ignore[attr-defined]
    shot(p, "imports-dry-run")
    assert _axe(p) == []
    p.get_by_role("button", name="开始导入").click()  # type: ignore[attr-defined]
    p.get_by_test_id("progress").wait_for()  # type: ignore[attr-defined]
    shot(p, "imports-progress")
    assert _axe(p) == []
    assert not ImportItem.objects.exists()  # nothing until the worker runs
    call_command("db_worker", "--batch", "--no-startup-delay")
    p.get_by_test_id("result").wait_for()  # type: ignore[attr-defined]  # the page polls and reloads when done
    assert "新建 3 件" in p.get_by_test_id("result").inner_text()  # type: ignore[attr-defined]
    p.get_by_role("link", name="前往待核实队列").click()  # type: ignore[attr-defined]
    items = p.get_by_test_id("import-item")  # type: ignore[attr-defined]
    assert items.count() == 3
    shot(p, "imports-queue")
    assert _axe(p) == []
    for external_id in ("GD000001", "GD000002"):
        item = p.locator(f"[data-external-id={external_id}]")  # type: ignore[attr-defined]
        item.get_by_role("button", name="核实，登记为信访件").click()
        p.get_by_text(f"来源编号 {external_id} 已登记为信访件").wait_for()  # type: ignore[attr-defined]
    item = p.locator("[data-external-id=GD000003]")  # type: ignore[attr-defined]
    item.get_by_label("不予转为信访件的理由").fill("属于政务咨询，热线已当场答复")
    item.get_by_role("button", name="不予转为信访件").click()
    p.get_by_text("来源编号 GD000003 不予转为信访件，理由已记录").wait_for()  # type: ignore[attr-defined]
    shot(p, "imports-decided")
    verified = ImportItem.objects.filter(status=ItemStatus.VERIFIED).select_related("petition")
    assert sorted(i.external_id for i in verified) == ["GD000001", "GD000002"]
    assert {i.petition.channel for i in verified if i.petition} == {"phone"}
    refused = ImportItem.objects.get(status=ItemStatus.REFUSED)
    assert refused.refusal_reason == "属于政务咨询，热线已当场答复"
