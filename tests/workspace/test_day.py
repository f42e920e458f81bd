"""A clerk's working day (issue 18): error pages, menus and homes by role, search that finds."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings
from django.views import defaults

from tests.factories import at, build_city, client_for, register
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db



# --- error pages -------------------------------------------------------------------------------------


@override_settings(DEBUG=False)
def test_staff_404_is_chinese_in_the_staff_layout() -> None:
    city = build_city()
    response = client_for(city.who(city.bureau, Role.HANDLER)).get("/work/cases/987654/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "没有找到这个页面" in page and "没有这个案件，或您无权查看" in page
    assert "退出" in page and "工作台导航" in page and "Not Found" not in page


@override_settings(DEBUG=False)
def test_public_404_is_chinese_in_the_public_layout() -> None:
    response = Client().get("/public/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and "没有找到这个页面" in page and "网上信访" in page and "退出" not in page


@override_settings(DEBUG=False)
def test_403_names_the_role_needed_and_the_menu_hides_what_would_answer_403() -> None:
    city = build_city()
    handler = client_for(city.who(city.bureau, Role.HANDLER))
    response = handler.get("/work/register/visit/")
    page = response.content.decode()
    assert response.status_code == 403 and "无权进行此操作" in page and "登记员" in page and "甄别分办员" in page
    assert "/work/register/" not in handler.get("/work/").content.decode()
    registrar = client_for(city.who(city.bureau, Role.REGISTRAR))
    assert "/work/register/visit/" in registrar.get("/work/").content.decode()


def test_400_and_500_pages_are_chinese() -> None:
    request = RequestFactory().get("/work/cases/")
    bad = defaults.bad_request(request, Exception("x")).content.decode()
    assert "请求有误" in bad and "Bad Request" not in bad
    broken = defaults.server_error(request).content.decode()
    assert "系统出错了" in broken and "Server Error" not in broken


# --- homes by role -----------------------------------------------------------------------------------


def test_each_home_lists_what_that_person_can_act_on_now() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(city)
        registrar_home = client_for(city.who(city.bureau, Role.REGISTRAR)).get("/work/").content.decode()
        triage_home = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER)).get("/work/").content.decode()
    queue = registrar_home.split('id="h-queue"')[1].split("</section>")[0]
    # A fresh registration waits for triage (Art. 21-22), not for the registrar who typed it in.
    assert case.petition.number not in queue and "本机关全部待办（1 件）" in queue
    assert case.petition.number in triage_home.split('id="h-queue"')[1].split("</section>")[0]


def test_the_organ_queue_is_one_click_away() -> None:
    city = build_city()
    case = register(city)
    other = register(city, where=city.county_bureau)
    page = client_for(city.who(city.bureau, Role.REGISTRAR)).get("/work/cases/", {"waiting": "on"}).content.decode()
    assert case.petition.number in page and other.petition.number not in page


def test_a_supervisor_sees_the_subtree_overdue_and_no_queue() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(city, where=city.county_bureau)
    supervisor = client_for(city.who(city.gov, Role.SUPERVISOR))
    with time_machine.travel(at("2026-06-30"), tick=False):  # months later: the triage duty is long past
        page = supervisor.get("/work/").content.decode()
    section = page.split('id="h-subtree"')[1].split("</section>")[0]
    assert case.petition.number in section and "甲县信访局" in section and "已超期" in section
    assert 'id="h-queue"' not in page and "/work/register/" not in page
    with time_machine.travel(at("2026-03-03"), tick=False):  # the next day nothing is overdue yet
        page = supervisor.get("/work/").content.decode()
        assert case.petition.number not in page.split('id="h-subtree"')[1].split("</section>")[0]


# --- search ------------------------------------------------------------------------------------------


def _search(client: Client, q: str) -> str:
    return client.get("/work/cases/", {"q": q}).content.decode()


def test_several_words_must_all_match_and_quotes_keep_a_phrase() -> None:
    city = build_city()
    water = register(city, request="可可小城小区停水已经三天", facts="物业不予答复", name="李某甲")
    lamp = register(city, request="可可小城路灯不亮", facts="晚上无法通行", name="李某乙")
    other = register(city, request="城东小区停水", facts="水压不足", name="李某丙")
    clerk = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    page = _search(clerk, "可可小城 停水")
    assert water.petition.number in page and lamp.petition.number not in page and other.petition.number not in page
    assert "<mark>可可小城</mark>" in page and "<mark>停水</mark>" in page
    page = _search(clerk, '"城东小区停水"')
    assert other.petition.number in page and water.petition.number not in page
    page = _search(clerk, "可可小城")
    assert water.petition.number in page and lamp.petition.number in page
    page = _search(clerk, water.petition.number)
    assert water.petition.number in page and lamp.petition.number not in page


def test_identity_search_by_name_id_number_and_phone() -> None:
    city = build_city()
    target = register(city, name="欧阳某某", id_number="11010519491231002X", contact="13912345678")
    other = register(city, name="司马某某", contact="13800000000")
    clerk = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    for q in ("欧阳某某", "11010519491231002x", "139-1234-5678", "13912345678"):
        page = _search(clerk, q)
        assert target.petition.number in page and other.petition.number not in page, q
    assert "<mark>欧阳某某</mark>" in _search(clerk, "欧阳某某")
    assert target.petition.number not in _search(clerk, "1391234")  # part of a phone number finds nothing


def test_identity_and_text_of_a_confidential_accusation_cannot_be_found_outside_its_organ() -> None:
    city = build_city()
    plain = register(city, where=city.county_housing, name="赵某某", contact="13700000001", request="道路破损")
    secret = register(
        city, where=city.county_housing, name="钱某某", contact="13700000002", request="举报某局干部收受红包",
        accusation=True,
    )
    # The county's 信访局 oversees its government's departments, but reads an accusation only inside the
    # accused's own system (Art. 30(3)): the department that holds it.
    overseer = client_for(city.who(city.county_bureau, Role.SUPERVISOR))
    assert plain.petition.number in _search(overseer, "赵某某")
    assert plain.petition.number in _search(overseer, "13700000001")
    for q in ("钱某某", "13700000002", "收受红包", secret.petition.number):
        assert f"/work/cases/{secret.pk}/" not in _search(overseer, q), q
    own = client_for(city.who(city.county_housing, Role.HANDLER))
    for q in ("钱某某", "13700000002", "收受红包"):
        assert f"/work/cases/{secret.pk}/" in _search(own, q), q


# --- pickers -----------------------------------------------------------------------------------------


def test_triage_and_transfer_without_choosing_are_refused_naming_the_field() -> None:
    city = build_city()
    case = register(city)
    triage = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    page = triage.get(f"/work/cases/{case.pk}/").content.decode()
    category = page.split('name="triage-category"')[1].split("</select>")[0]
    assert '<option value="" selected>——请选择——</option>' in category
    response = triage.post(f"/work/cases/{case.pk}/act/triage/", {"triage-category": "", "triage-expected_version": 1})
    page = response.content.decode()
    assert response.status_code == 400 and "未能甄别分类：请选择类别" in page and 'data-testid="error-summary"' in page
    case.refresh_from_db()
    assert case.state == "registered"

    triage.post(f"/work/cases/{case.pk}/act/triage/", {"triage-category": "grievance", "triage-expected_version": 1})
    page = triage.get(f"/work/cases/{case.pk}/").content.decode()
    picker = page.split('name="transfer-target_organ"')[1].split("</select>")[0]
    # Grouped by place and level, the city's organs before the county's, and nothing chosen in advance.
    assert '<option value="" selected>——请选择——</option>' in picker
    assert picker.index('<optgroup label="西地市市级">') < picker.index('<optgroup label="甲县县级">')
    assert "990102" not in picker
    response = triage.post(
        f"/work/cases/{case.pk}/act/transfer/", {"transfer-target_organ": "", "transfer-expected_version": 2}
    )
    assert response.status_code == 400 and "未能转送：请选择接收机关" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "triaged" and not case.children.exists()


# --- plain words and the access log ------------------------------------------------------------------


def test_the_case_page_shows_no_internal_identifiers_and_logs_who_saw_the_identity() -> None:
    from xinfang.accounts.models import AccessLog

    city = build_city()
    case = register(city, region_code="990102")
    triage = city.who(city.bureau, Role.TRIAGE_OFFICER)
    client = client_for(triage)
    client.post(f"/work/cases/{case.pk}/act/triage/", {"triage-category": "grievance", "triage-expected_version": 1})
    page = client.get(f"/work/cases/{case.pk}/").content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "bureau_disposition" not in timeline and "990102" not in timeline
    assert "申诉求决类" in timeline  # the category in words, from the category's own labels
    for state in ("登记", "收到", "甄别分类"):
        assert f"{state}</strong> → {state}" not in timeline
    assert AccessLog.objects.filter(case=case, kind="personal_data", user=triage.user).exists()


def test_labels_of_different_enums_do_not_overwrite_each_other() -> None:
    from xinfang.workspace.labels import VALUES

    # Each field reads its own enum: the same raw value may mean different things in two fields.
    assert VALUES["category"]("grievance") == "申诉求决类"
    assert VALUES["adoption"]("adopted") == "采纳"
    assert VALUES["rule"]("bureau_disposition") != "bureau_disposition"


# --- the desk receipt --------------------------------------------------------------------------------


def test_the_desk_receipt_gives_a_code_that_opens_the_portal_and_a_reissue_voids_the_old_one() -> None:
    import re

    from xinfang.audit.models import Event

    city = build_city()
    case = register(city, channel="letter")
    clerk = client_for(city.who(city.bureau, Role.REGISTRAR))
    assert 'data-testid="receipt-offer"' in clerk.get(f"/work/cases/{case.pk}/").content.decode()
    page = clerk.post(f"/work/cases/{case.pk}/receipt/").content.decode()
    code = re.search(r'data-testid="receipt-code" data-verbatim>([A-Z0-9-]+)<', page).group(1)  # type: ignore[union-attr]
    assert case.petition.number in page and "西地市信访局地址" in page and "/public/" in page

    def track(code: str) -> int:
        return Client().post("/public/track/", {"number": case.petition.number, "code": code}).status_code

    assert track(code) == 302  # the portal opens the case's progress
    again = clerk.post(f"/work/cases/{case.pk}/receipt/")  # a second code only as a reissue
    assert again.status_code == 302 and track(code) == 302
    refused = clerk.post(f"/work/cases/{case.pk}/receipt/", {"reissue": "on"})  # identity not checked
    assert refused.status_code == 302 and track(code) == 302
    page = clerk.post(f"/work/cases/{case.pk}/receipt/", {"reissue": "on", "identity_checked": "on"}).content.decode()
    new = re.search(r'data-testid="receipt-code" data-verbatim>([A-Z0-9-]+)<', page).group(1)  # type: ignore[union-attr]
    assert track(code) == 400 and track(new) == 302
    assert Event.objects.filter(case_id=case.pk, action="issue_query_code").count() == 2


def test_no_receipt_for_an_online_petition_or_outside_the_receiving_organ() -> None:
    city = build_city()
    online = register(city, channel="online")
    letter = register(city, channel="letter")
    clerk = client_for(city.who(city.bureau, Role.REGISTRAR))
    assert 'data-testid="receipt-offer"' not in clerk.get(f"/work/cases/{online.pk}/").content.decode()
    handler = client_for(city.who(city.bureau, Role.HANDLER))
    assert handler.post(f"/work/cases/{letter.pk}/receipt/").status_code == 403


def test_staff_read_the_rules_in_the_staff_layout_without_rule_ids() -> None:
    import re

    def text(page: str) -> str:  # what a reader sees: no tags, no attribute values
        return re.sub(r"<[^>]+>", " ", page)

    city = build_city()
    page = client_for(city.who(city.bureau, Role.HANDLER)).get("/rules/").content.decode()
    assert "工作台导航" in page and "退出" in text(page) and "bureau_disposition" not in text(page)
    public = Client().get("/rules/").content.decode()
    assert "网上信访" in public and "工作台导航" not in public and "bureau_disposition" not in text(public)
