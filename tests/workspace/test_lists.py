"""Lists (issue 18, item 10): sortable columns, page size, saved filters, Excel export, bulk transfer/assignment."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook

from tests.factories import at, build_city, client_for, register
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.workspace.models import SavedFilter

pytestmark = pytest.mark.django_db



def numbers(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"(XF\d+)</a>", body)


def test_columns_sort_both_ways_and_the_page_size_is_chosen() -> None:
    city = build_city()
    cases = [register(city, when=f"2026-03-0{d}") for d in (2, 3, 4)]
    client = client_for(city.who(city.bureau, Role.REGISTRAR))
    wanted = sorted(c.petition.number for c in cases)
    assert numbers(client.get("/work/cases/", {"sort": "number"}).content.decode()) == wanted
    page = client.get("/work/cases/", {"sort": "-number"}).content.decode()
    assert numbers(page) == wanted[::-1]
    assert 'aria-sort="descending"' in page and "sort=number" in page  # a click on the header turns it round
    assert numbers(client.get("/work/cases/", {"sort": "drop table"}).content.decode())  # ignored, not an error
    for _ in range(30):
        register(city)
    assert len(numbers(client.get("/work/cases/").content.decode())) == 30
    assert len(numbers(client.get("/work/cases/", {"size": "50"}).content.decode())) == 33
    assert len(numbers(client.get("/work/cases/", {"size": "7"}).content.decode())) == 30  # not offered: default


def test_filters_are_saved_per_person_and_replayed() -> None:
    city = build_city()
    register(city, request="小区停水三天", channel="letter")
    register(city, request="道路积水")
    registrar = city.who(city.bureau, Role.REGISTRAR)
    client = client_for(registrar)
    response = client.post("/work/cases/filters/", {"name": "来信", "query": "channel=letter&sort=-number&page=3"})
    assert response.status_code == 302
    saved = SavedFilter.objects.get(staff=registrar)
    assert saved.query == "channel=letter&sort=-number"  # the page is not part of a filter
    page = client.get("/work/cases/").content.decode()
    assert f'href="?{saved.query.replace("&", "&amp;")}"' in page and ">来信</a>" in page
    assert len(numbers(client.get(f"/work/cases/?{saved.query}").content.decode())) == 1
    # Another person sees none of it and cannot delete it.
    other = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    assert ">来信</a>" not in other.get("/work/cases/").content.decode()
    assert other.post(f"/work/cases/filters/{saved.pk}/delete/").status_code == 404
    # A name is required; deleting one's own works; both are recorded.
    refused = client.post("/work/cases/filters/", {"name": "", "query": "channel=letter"}, follow=True)
    assert "「名称」不能为空" in refused.content.decode()
    assert client.post(f"/work/cases/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()
    assert list(Event.objects.filter(action__endswith="_filter").values_list("action", flat=True)) == [
        "save_filter",
        "delete_filter",
    ]


def test_the_export_has_the_filtered_rows_without_identity_or_unreadable_content() -> None:
    city = build_city()
    plain = register(city, request="小区停水三天", name="张明亮", contact="13900000001")
    secret = register(city, city.county_housing, request="举报某局长收受红包", accusation=True)
    # The city bureau oversees the county: it knows the accusation exists, but may not read it.
    client = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    response = client.get("/work/cases/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert plain.petition.number in cells and "小区停水三天" in cells
    assert secret.petition.number in cells and "举报某局长收受红包" not in " ".join(cells)
    assert "张明亮" not in " ".join(cells) and "13900000001" not in " ".join(cells)
    filtered = client.get("/work/cases/export.xlsx", {"q": "停水"})
    cells = [str(c.value) for row in load_workbook(io.BytesIO(filtered.content)).active.iter_rows() for c in row]
    assert plain.petition.number in cells and secret.petition.number not in cells and "全文检索" in cells


def _triaged(city: Any, **fields: Any) -> Case:
    case = register(city, **fields)
    return perform(case, "triage", city.who(city.bureau, Role.TRIAGE_OFFICER), {"category": "grievance"})


def test_bulk_transfer_asks_for_the_organ_confirms_it_and_performs_each_case_with_its_event() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        one, two = _triaged(city), _triaged(city)
        fresh = register(city)  # not triaged yet: cannot be transferred
        client = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
        page = client.get("/work/cases/").content.decode()
        assert f'value="{one.pk}:{one.version}"' in page and f'value="{fresh.pk}:' not in page
        ticked = [f"{one.pk}:{one.version}", f"{two.pk}:{two.version}", f"{fresh.pk}:{fresh.version}"]
        choose = client.post("/work/cases/bulk/", {"action": "transfer", "case": ticked}).content.decode()
        assert "当前不能转送" in choose and fresh.petition.number in choose
        options = re.search(r'name="target_organ".*?</select>', choose, re.S).group(0)  # type: ignore[union-attr]
        assert "甲县住房和城乡建设局" in options and "西地市信访局" not in options
        assert options.count("selected") == 1 and 'value="" selected' in options  # only the "please choose" line
        # Not choosing is refused with a message naming the field.
        refused = client.post(
            "/work/cases/bulk/", {"action": "transfer", "case": ticked, "step": "confirm", "target_organ": ""}
        )
        assert refused.status_code == 400 and "请选择接收机关" in refused.content.decode()
        target = city.county_housing.pk
        confirm = client.post(
            "/work/cases/bulk/", {"action": "transfer", "case": ticked, "step": "confirm", "target_organ": target}
        ).content.decode()
        assert "确认转送到 甲县住房和城乡建设局" in confirm
        assert Case.objects.get(pk=one.pk).state == "triaged"  # nothing done before the confirmation
        done = client.post(
            "/work/cases/bulk/", {"action": "transfer", "case": ticked, "step": "perform", "target_organ": target}
        ).content.decode()
    assert "2 件已转送" in done
    for case in (one, two):
        case.refresh_from_db()
        assert case.state == "transferred" and case.children.get().organ == city.county_housing
        assert Event.objects.filter(case_id=case.pk, action="transfer").count() == 1
    assert first_problem() is None


def test_a_refusal_in_bulk_names_the_case_and_the_reason_and_the_others_go_through() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        one, two = _triaged(city), _triaged(city)
        stale = f"{two.pk}:{two.version}"
        # Someone else acts on the second case after the list was shown.
        perform(two, "transfer", city.who(city.bureau, Role.TRIAGE_OFFICER), {"target_organ": city.county_land.pk})
        client = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
        ticked = [f"{one.pk}:{one.version}", stale]
        # The second is no longer transferable: it is named and left out before the step.
        confirm = client.post(
            "/work/cases/bulk/",
            {"action": "assign", "case": ticked, "step": "confirm", "target_organ": city.county_housing.pk, "days": 20},
        ).content.decode()
        assert (
            two.petition.number in confirm.split('data-testid="bulk-skipped"')[1]
            and "交办到 甲县住房和城乡建设局" in confirm
        )
        # A version changed between the confirmation and the click: the engine refuses that case, by name.
        Case.objects.filter(pk=one.pk).update(version=one.version + 1)
        done = client.post(
            "/work/cases/bulk/",
            {"action": "assign", "case": ticked, "step": "perform", "target_organ": city.county_housing.pk, "days": 20},
        ).content.decode()
    results = done.split('data-testid="bulk-results"')[1]
    assert "0 件已交办，1 件未能交办" in results and one.petition.number in results and "未能交办：" in results
    assert Case.objects.get(pk=one.pk).state == "triaged"


def test_the_organ_filter_lists_organs_without_villages_and_keeps_the_choice() -> None:
    from xinfang.org.models import Level, Organ, OrganKind

    city = build_city()
    village = Organ.objects.create(
        name="城关镇幸福村民委员会", level=Level.VILLAGE, kind=OrganKind.OTHER, region_code="990102",
        superior=city.county_gov,
    )  # fmt: skip
    here, there = register(city), register(city, city.county_housing)
    client = client_for(city.who(city.bureau, Role.TRIAGE_OFFICER))
    page = client.get("/work/cases/", {"organ": city.county_housing.pk}).content.decode()
    select = re.search(r'<select[^>]*name="organ".*?</select>', page, re.S).group(0)  # type: ignore[union-attr]
    assert 'id="id_organ"' in select and village.name not in select
    assert f'<option value="{city.county_housing.pk}" selected>甲县住房和城乡建设局</option>' in select
    assert numbers(page) == [there.petition.number] and here.petition.number not in numbers(page)
