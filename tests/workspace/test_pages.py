"""The staff workspace through the Django test client: what each user sees and may do."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, client_for, register, staff
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db



def test_login_page_and_redirect_for_anonymous_users() -> None:
    client = Client()
    response = client.get("/work/")
    assert response.status_code == 302 and response["Location"].startswith("/work/login/")
    assert "工作人员登录" in client.get("/work/login/").content.decode()


def test_user_without_staff_record_gets_a_clear_page() -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="pw")
    client = Client()
    client.force_login(user)
    response = client.get("/work/")
    assert response.status_code == 403 and "没有关联任何机关" in response.content.decode()


def test_clerk_registers_a_letter_finds_it_and_triage_transfers_it() -> None:
    city = build_city()
    registrar = city.who(city.bureau, Role.REGISTRAR)
    with time_machine.travel(at("2026-03-02"), tick=False):
        clerk = client_for(registrar)
        form = clerk.get("/work/register/letter/").content.decode()
        assert "登记信访件 · 来信" in form and 'name="request"' in form
        response = clerk.post(
            "/work/register/letter/",
            {
                "received_at": "2026-03-02T09:30",
                "name": "赵某",
                "id_number": "11010519491231002X",
                "contact": "13900000000",
                "address": "甲县城关镇",
                "region_code": "990102",
                "request": "要求处理小区违章搭建",
                "facts": "邻居在公共绿地上搭建彩钢房",
                "reasons": "影响通行和消防",
            },
        )
        assert response.status_code == 302
        case = Case.objects.get(pk=int(re.search(r"/cases/(\d+)/", response["Location"]).group(1)))  # type: ignore[union-attr]
        page = clerk.get(response["Location"]).content.decode()
        assert case.petition.number in page and "要求处理小区违章搭建" in page and "登记" in page
        assert "信访部门登记后分别处理" in page  # the D1 clock is shown
        assert clerk.get("/work/cases/", {"q": "违章搭建"}).content.decode().count(case.petition.number) == 1
        assert case.petition.number not in clerk.get("/work/cases/", {"q": "拖欠工资"}).content.decode()

        triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
        page = triage.get(f"/work/cases/{case.pk}/").content.decode()
        assert 'data-action="triage"' in page and 'data-action="transfer"' not in page
        triage.post(
            f"/work/cases/{case.pk}/act/triage/",
            {"triage-category": "grievance", "triage-expected_version": case.version},
        )
        case.refresh_from_db()
        page = triage.get(f"/work/cases/{case.pk}/").content.decode()
        assert case.state == "triaged" and 'data-action="transfer"' in page
        # The transfer list is jurisdiction-aware: this county's and the city's organs, not the bureau itself.
        options = re.search(r'name="transfer-target_organ".*?</select>', page, re.S).group(0)  # type: ignore[union-attr]
        assert "甲县住房和城乡建设局" in options and "西地市信访局" not in options
        response = triage.post(
            f"/work/cases/{case.pk}/act/transfer/",
            {"transfer-target_organ": city.county_housing.pk, "transfer-expected_version": case.version},
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.state == "transferred" and case.children.get().organ == city.county_housing
        timeline = triage.get(f"/work/cases/{case.pk}/").content.decode().split('data-testid="timeline"')[1]
        assert "接收机关</span> 甲县住房和城乡建设局" in timeline


def test_refusal_shows_the_reason_and_the_article_and_keeps_the_input() -> None:
    city = build_city()
    case = register(city, when="2026-03-02")
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    triage.post(f"/work/cases/{case.pk}/act/triage/", {"triage-category": "grievance", "triage-expected_version": 1})
    response = triage.post(
        f"/work/cases/{case.pk}/act/not_reaccept/",
        {
            "not_reaccept-same_facts_confirmed": "on",
            "not_reaccept-guidance": "这段疏导说明应保留",
            "not_reaccept-expected_version": 2,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "未能不再受理：该信访事项尚未经复核终结" in page and "《信访工作条例》第三十六条第三款" in page
    assert "这段疏导说明应保留" in page


def test_the_accused_unit_is_never_offered_as_a_transfer_target() -> None:
    city = build_city()
    case = register(city, when="2026-03-02")
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    triage.post(
        f"/work/cases/{case.pk}/act/triage/",
        {"triage-category": "accusation", "triage-accused_organ": city.county_housing.pk, "triage-expected_version": 1},
    )
    page = triage.get(f"/work/cases/{case.pk}/").content.decode()
    options = re.search(r'name="transfer-target_organ".*?</select>', page, re.S).group(0)  # type: ignore[union-attr]
    assert "甲县自然资源局" in options and "甲县住房和城乡建设局" not in options
    response = triage.post(
        f"/work/cases/{case.pk}/act/transfer/",
        {"transfer-target_organ": city.county_housing.pk, "transfer-expected_version": 2},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == "triaged"


def test_stale_form_gets_a_conflict_message() -> None:
    city = build_city()
    case = register(city, when="2026-03-02")
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    triage.post(f"/work/cases/{case.pk}/act/triage/", {"triage-category": "grievance", "triage-expected_version": 1})
    response = triage.post(
        f"/work/cases/{case.pk}/act/escalate/", {"escalate-report": "重大", "escalate-expected_version": 1}
    )
    assert "该案件刚刚已被他人办理" in response.content.decode()


def test_registrar_cannot_see_the_approvers_actions() -> None:
    city = build_city()
    # Anonymous, so no 延期告知书 can be served: the extension is offered on the page with its Art. 23(2) reason.
    case = register(city, city.county_housing, anonymous=True)
    triage, handler = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    perform(case, "triage", triage, {"category": "grievance"})
    perform(case, "accept", triage)
    case = perform(case, "investigate", handler)
    registrar_page = (
        client_for(city.who(city.county_housing, Role.REGISTRAR)).get(f"/work/cases/{case.pk}/").content.decode()
    )
    approver_page = (
        client_for(city.who(city.county_housing, Role.APPROVER)).get(f"/work/cases/{case.pk}/").content.decode()
    )
    assert 'data-action="extend"' in approver_page and "延期办理" in approver_page
    assert 'data-action="extend"' not in registrar_page and 'data-action="issue_opinion"' not in registrar_page
    response = client_for(city.who(city.county_housing, Role.REGISTRAR)).post(
        f"/work/cases/{case.pk}/act/extend/",
        {"extend-reason": "x", "extend-days": 10, "extend-exemption": "匿名", "extend-expected_version": case.version},
    )
    assert "只有审批负责人可以执行“延期办理”" in response.content.decode()


def test_a_county_cannot_see_another_countys_cases() -> None:
    city = build_city()
    mine = register(city, city.county_housing)
    theirs = register(city, city.other_county_housing, region_code="990103")
    clerk = client_for(staff(city.county_housing, Role.TRIAGE_OFFICER))
    assert clerk.get(f"/work/cases/{mine.pk}/").status_code == 200
    assert clerk.get(f"/work/cases/{theirs.pk}/").status_code == 404
    listing = clerk.get("/work/cases/").content.decode()
    assert mine.petition.number in listing and theirs.petition.number not in listing
    response = clerk.post(f"/work/cases/{theirs.pk}/act/triage/", {"triage-category": "grievance"})
    assert response.status_code == 404


def test_registration_errors_are_named_and_input_is_kept() -> None:
    city = build_city()
    clerk = client_for(city.who(city.bureau, Role.REGISTRAR))
    response = clerk.post(
        "/work/register/visit/",
        {
            "received_at": "2026-03-02T09:30",
            "name": "钱某",
            "id_number": "110105194912310021",
            "region_code": "990102",
            "request": "",
            "facts": "保留这段事实",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "校验位不正确" in page and "这个字段是必填项" in page
    assert "保留这段事实" in page and 'value="钱某"' in page


def test_repeat_hints_find_the_same_person_and_similar_text() -> None:
    city = build_city()
    first = register(city, id_number="11010519491231002X", request="请求补发拖欠的房屋征收补偿款共计十二万元")
    clerk = client_for(city.who(city.bureau, Role.REGISTRAR))
    by_person = clerk.get("/work/hints/", {"id_number": "11010519491231002x"}).json()["results"]
    assert [r["number"] for r in by_person] == [first.petition.number]
    by_text = clerk.get("/work/hints/", {"text": "我要求补发拖欠的房屋征收补偿款"}).json()["results"]
    assert [r["matter_id"] for r in by_text] == [first.matter_id]
    assert clerk.get("/work/hints/", {"text": "建议增设公交线路方便出行"}).json()["results"] == []


def test_date_fields_are_prefilled_in_a_format_the_date_input_understands() -> None:
    from xinfang.documents import services as documents

    city = build_city()
    case = register(city, city.county_housing, when="2026-03-02")
    registrar = city.who(city.county_housing, Role.REGISTRAR)
    with time_machine.travel(at("2026-03-05"), tick=False):
        notice = documents.draft(case, "receipt_notice", registrar)
        documents.update(notice, {"route": "调查核实后书面答复", "contact": "信访科"}, registrar)
        notice = documents.issue(notice, registrar)
        page = client_for(registrar).get(f"/work/documents/{notice.pk}/").content.decode()
    assert re.search(r'type="date" name="served_on" value="2026-03-05"', page)


def test_home_and_list_pages_take_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    city = build_city()
    for index in range(12):
        register(city, request=f"第{index}件诉求")
    clerk = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    clerk.get("/work/")  # warm the session and the cached rules
    # 13 whatever the number of cases: session, user, staff, the queue (cases, readable ids, count, clocks), the
    # organ's queue, and one each for the supervision orders the organ owes (issue 16), whether it has received a
    # 预警提示函 (issue 14, the menu) and the joint conference's decisions assigned to it (issue 17)
    with django_assert_max_num_queries(13):
        assert clerk.get("/work/").status_code == 200
    with django_assert_max_num_queries(10):
        assert clerk.get("/work/cases/").status_code == 200
