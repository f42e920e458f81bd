"""Print views (issue 18, item 10): the case on paper, and the 转送单 / 交办单 with no more than the receiver sees."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tests.factories import at, build_city, client_for, register
from xinfang.accounts.models import AccessLog
from xinfang.lifecycle.engine import perform
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

GOOD_ID = "11010519491231002X"



def test_the_printed_case_page_has_content_deadlines_and_history_and_print_css() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(city, id_number=GOOD_ID)
        client = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
        assert f"/work/cases/{case.pk}/print/" in client.get(f"/work/cases/{case.pk}/").content.decode()
        page = client.get(f"/work/cases/{case.pk}/print/").content.decode()
    assert 'data-testid="case-print"' in page and "print.css" in page and "data-print" in page
    assert case.petition.number in page and "请求补发拖欠的房屋征收补偿款" in page and GOOD_ID in page
    assert "信访部门登记后分别处理" in page or "期限" in page
    assert "登记" in page.split("办理经过")[1]
    assert AccessLog.objects.filter(kind="personal_data", detail="打印案件").count() == 1


def test_a_confidential_accusation_prints_only_for_those_who_may_read_it() -> None:
    city = build_city()
    case = register(city, city.county_housing, id_number=GOOD_ID, name="李检举", accusation=True)
    # The county government oversees the department in its own system: it reads the case and its accuser.
    leader = client_for(city.who(city.county_gov, Role.LEADER))
    assert "李检举" in leader.get(f"/work/cases/{case.pk}/print/").content.decode()
    # Another county's department does not learn the case exists.
    other = client_for(city.who(city.other_county_housing, Role.REGISTRAR))
    assert other.get(f"/work/cases/{case.pk}/print/").status_code == 404


def _transfer(city: Any, case: Any, target: Any) -> Any:
    triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
    case = perform(case, "triage", triage, {"category": "grievance"})
    return perform(case, "transfer", triage, {"target_organ": target.pk})


def test_a_transfer_slip_names_both_organs_the_request_and_the_contact_but_never_the_id_number() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = _transfer(city, register(city, id_number=GOOD_ID), city.county_housing)
        child = case.children.get()
        client = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
        detail = client.get(f"/work/cases/{case.pk}/").content.decode()
        assert f"/work/cases/{case.pk}/slip/{child.pk}/" in detail and "打印转送单（甲县住房和城乡建设局）" in detail
        page = client.get(f"/work/cases/{case.pk}/slip/{child.pk}/").content.decode()
        # A case that was not sent on has no slip; a made-up child is not found.
        assert client.get(f"/work/cases/{child.pk}/slip/{case.pk}/").status_code == 404
    assert "信访事项转送单" in page and "西地市信访局" in page and "甲县住房和城乡建设局" in page
    assert "请求补发拖欠的房屋征收补偿款" in page and "王某某" in page and "13800000000" in page
    assert GOOD_ID not in page and "证件号码" not in page.split('data-testid="routing-slip"')[1].split("本单不含")[0]
    assert "转送日期</th><td>2026年3月2日" in page and "第二十二条" in page


def test_an_assignment_slip_gives_the_report_deadline() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(city)
        triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
        case = perform(case, "triage", triage, {"category": "grievance"})
        case = perform(case, "assign", triage, {"target_organ": city.county_housing.pk, "days": 30})
        child = case.children.get()
        page = client_for(triage).get(f"/work/cases/{case.pk}/slip/{child.pk}/").content.decode()
    assert "信访事项交办单" in page and "30 日内反馈结果" in page
    # 30 days from 2026-03-02 by the calendar, by hand: 2026-04-01 (a Wednesday, a working day).
    assert "2026年4月1日" in page and "提交办结报告" in page


def test_a_slip_for_an_accusation_leaves_out_whom_it_accuses() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(city, accusation=True, accused=[])
        triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
        case = perform(case, "triage", triage, {"category": "accusation", "accused_organ": city.county_land.pk})
        case = perform(case, "transfer", triage, {"target_organ": city.county_housing.pk})
        child = case.children.get()
        page = client_for(triage).get(f"/work/cases/{case.pk}/slip/{child.pk}/").content.decode()
    assert "信访事项转送单" in page and "甲县自然资源局" not in page
