"""Triage suggestions in the browser (issue 13): a desk clerk who registers and triages (登记员兼甄别分办员, as at
a county petition bureau) registers an invented letter, sees the suggested content category and organ and a
possible repeat, compares the two side by side and links the letter to that matter, then accepts the
suggested category on the triage form; the case's timeline shows both decisions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import shot
from tests.factories import at, build_city, organ, register, staff
from tests.triage.csvs import TRAIN
from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case
from xinfang.org.models import Level, OrganKind, Role
from xinfang.textmining.features import Message
from xinfang.triage.models import Suggestion
from xinfang.triage.services import train_model

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

REQUEST = "请求环保部门查处青石化工厂夜间偷排废气"
FACTS = "青石化工厂每天晚上十点以后偷排废气，气味刺鼻，附近居民晚上不敢开窗，已经持续两个多月。"


def test_register_see_the_suggestion_link_the_repeat_and_accept_the_category(
    page: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    city = build_city()
    organ("甲县生态环境局", Level.COUNTY, OrganKind.FUNCTIONAL, "990102", city.county_gov)
    train_model(
        [Message(t, b) for t, b, _ in TRAIN], [label for *_, label in TRAIN], source="测试", evaluate=False,
        now=at("2026-03-01"),
    )
    earlier = register(city, when="2026-02-10", name="孙某某", request=REQUEST, facts=FACTS, reasons="")
    desk = staff(city.bureau, Role.REGISTRAR, Role.TRIAGE_OFFICER)
    desk.user.set_password("walk-pass")
    desk.user.save()
    p = page
    p.goto(f"{p.base_url}/work/login/")
    p.get_by_label("用户名").fill(desk.user.username)
    p.get_by_label("密码").fill("walk-pass")
    p.get_by_role("button", name="登录").click()
    p.get_by_role("heading", name=re.compile("您好")).wait_for()

    # Registration of an invented letter on the same smoke, by another neighbour.
    p.goto(f"{p.base_url}/work/register/letter/")
    p.get_by_label("姓名（名称）").fill("钱某某")
    p.get_by_label("住址", exact=True).fill("甲县城关镇青石路8号")
    p.get_by_label("问题发生地").select_option(label="甲县")
    p.get_by_label("诉求", exact=True).fill(REQUEST)
    p.get_by_label("事实", exact=True).fill("化工厂晚上十点以后偷排废气，气味刺鼻，附近居民晚上不敢开窗。")
    p.get_by_role("button", name="登记").click()
    p.get_by_test_id("state").wait_for()
    case = Case.objects.exclude(pk=earlier.pk).get()

    # Beside the triage form, the suggestion panel: category with confidence, the next two, organ, repeat.
    panel = p.get_by_test_id("triage-suggestion")
    panel.get_by_role("button", name=re.compile("采用：环境保护")).wait_for()
    assert panel.get_by_role("button", name=re.compile("^采用：")).count() == 3
    assert "甲县生态环境局" in panel.get_by_test_id("suggested-organ").inner_text()
    repeats = panel.get_by_test_id("possible-repeats")
    assert earlier.petition.number in repeats.inner_text()
    shot(p, "triage-walk-01-suggestion")

    # Side by side, then linked to the earlier matter: a decision of the staff, recorded.
    repeats.get_by_role("link", name=re.compile(earlier.petition.number)).click()
    table = p.get_by_test_id("side-by-side")
    assert REQUEST in table.inner_text() and earlier.petition.number in table.inner_text()
    shot(p, "triage-walk-02-side-by-side")
    p.get_by_role("button", name="关联到该事项").click()
    p.locator(".messages .success").wait_for()
    assert earlier.petition.number in p.locator(".messages").inner_text()

    # Accept the suggested category with one click, choose the Art. 22 class, submit the triage.
    box = p.locator('details[data-action="triage"]')
    box.locator("summary").click()
    p.get_by_test_id("triage-suggestion").get_by_role("button", name=re.compile("采用：环境保护")).click()
    assert box.get_by_label("内容分类").input_value() == "环境保护"
    box.get_by_label("类别", exact=True).select_option(label="申诉求决类")
    box.get_by_role("button", name="甄别分类").click()
    p.locator(".messages .success").wait_for()
    timeline = p.get_by_test_id("timeline").inner_text()
    assert "采纳内容分类建议" in timeline and "关联到已有信访事项" in timeline
    assert desk.user.username not in timeline and str(desk) in timeline  # people by name, not by login
    shot(p, "triage-walk-03-timeline")

    case.refresh_from_db()
    assert case.matter_id == earlier.matter_id and case.petition.is_repeat
    decided = Suggestion.objects.filter(case=case).exclude(decided_label="").get()
    assert decided.accepted is True and decided.decided_label == "环境保护"
    actions = set(Event.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"triage.linked_to_matter", "triage.suggestion_accepted", "triage"} <= actions
