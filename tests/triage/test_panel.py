"""The triage panel's backing: the competent organ from the routing table, the side-by-side view, linking a
petition to a repeat's matter (an event), and the content category chosen on the triage form recorded."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from tests.factories import City, at, build_city, organ, register
from xinfang.audit.models import Event
from xinfang.intake.models import RepeatKey
from xinfang.intake.services import correct_registration
from xinfang.lifecycle.models import Case
from xinfang.org.models import Level, OrganKind, Role
from xinfang.textmining.features import Message
from xinfang.triage.models import ClassifierModel, Suggestion
from xinfang.triage.selectors import case_message, competent_organ
from xinfang.triage.services import LinkRefused, as_json, link_to_matter, suggest, train_model

from .csvs import TRAIN

pytestmark = pytest.mark.django_db

SMOKE = {"request": "请求查处化工厂夜间偷排废气", "facts": "化工厂晚上偷排废气，气味刺鼻，污染空气", "reasons": ""}


@pytest.fixture
def model(settings: object, tmp_path: Path) -> ClassifierModel:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    messages = [Message(title, body) for title, body, _ in TRAIN]
    return train_model(messages, [label for *_, label in TRAIN], source="测试", evaluate=False, now=at("2026-03-01"))


def _eco(city: City) -> None:
    organ("甲县生态环境局", Level.COUNTY, OrganKind.FUNCTIONAL, "990102", city.county_gov)


def test_the_routing_table_names_the_department_where_the_problem_arose_else_the_nearest_above() -> None:
    city = build_city()
    found, route = competent_organ("城乡建设/住房保障与房地产", "990102")
    assert found == city.county_housing and route is not None and "谁主管、谁负责" in route.basis.quote
    assert competent_organ("城乡建设", "990103")[0] == city.other_county_housing
    # 纪检监察: only the city has one; the search goes up from the county.
    assert competent_organ("纪检监察", "990102")[0] == city.discipline
    # A row but no such department in this city: no organ, the row still says why.
    none, row = competent_organ("劳动和社会保障", "990102")
    assert none is None and row is not None and row.duty == "人力资源和社会保障"
    assert competent_organ("党务政务", "990102") == (None, None)


def test_the_suggestion_names_the_competent_organ_with_its_basis(model: ClassifierModel) -> None:
    city = build_city()
    _eco(city)
    case = register(city, **SMOKE)  # type: ignore[arg-type]
    suggestion = suggest(case, city.who(city.bureau, Role.TRIAGE_OFFICER), now=at("2026-03-02", 11))
    assert suggestion.label == "环境保护"
    assert suggestion.organ is not None and suggestion.organ.name == "甲县生态环境局"
    assert "第二十二条第一款第二项" in suggestion.organ_basis
    body = as_json(suggestion)
    assert body["organ"]["name"] == "甲县生态环境局"
    assert Event.objects.get(action="triage.suggested", case_id=case.pk).payload["organ"]["name"] == "甲县生态环境局"


def _pair(city: City) -> tuple[Case, Case]:
    earlier = register(city, when="2026-01-05", name="李某", **SMOKE)  # type: ignore[arg-type]
    case = register(city, when="2026-03-02", name="张某", **SMOKE)  # type: ignore[arg-type]
    return earlier, case


def test_linking_moves_the_petition_into_the_matter_and_is_an_event() -> None:
    city = build_city()
    earlier, case = _pair(city)
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    link_to_matter(case, earlier, officer, now=at("2026-03-02", 12))
    case.refresh_from_db()
    assert case.matter_id == earlier.matter_id and case.petition.matter_id == earlier.matter_id
    assert case.petition.is_repeat is True
    event = Event.objects.get(action="triage.linked_to_matter", case_id=case.pk)
    assert event.payload["linked_number"] == earlier.petition.number and event.actor == officer.user
    with pytest.raises(LinkRefused, match="同一信访事项"):
        link_to_matter(case, earlier, officer)


def test_only_registrars_and_triage_officers_link_and_only_cases_they_read() -> None:
    city = build_city()
    earlier, case = _pair(city)
    with pytest.raises(PermissionDenied):
        link_to_matter(case, earlier, city.who(city.bureau, Role.SUPERVISOR))
    accusation = register(city, where=city.county_bureau, when="2026-02-01", accusation=True, **SMOKE)
    overseer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    with pytest.raises(PermissionDenied):
        link_to_matter(case, accusation, overseer)
    client = Client()
    client.force_login(overseer.user)
    assert client.get(f"/work/triage/compare/{case.pk}/{accusation.pk}/").status_code == 404
    assert client.post(f"/work/triage/link/{case.pk}/{accusation.pk}/").status_code == 404
    assert not Event.objects.filter(action="triage.linked_to_matter").exists()


def test_the_side_by_side_page_shows_both_texts_flags_a_final_matter_and_links_on_post() -> None:
    city = build_city()
    earlier, case = _pair(city)
    earlier.matter.final_at = at("2026-02-20")
    earlier.matter.save(update_fields=["final_at"])
    client = Client()
    client.force_login(city.who(city.bureau, Role.TRIAGE_OFFICER).user)
    page = client.get(f"/work/triage/compare/{case.pk}/{earlier.pk}/").content.decode()
    assert page.count(SMOKE["facts"]) == 2 and earlier.petition.number in page and case.petition.number in page
    assert 'data-testid="final-flag"' in page and "第三十六条第三款" in page
    assert "李某" not in page and "张某" not in page  # content, not identity
    response = client.post(f"/work/triage/link/{case.pk}/{earlier.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/work/cases/{case.pk}/"
    timeline = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert "关联到已有信访事项" in timeline and earlier.petition.number in timeline and "该事项已复核终结" in timeline


def test_the_triage_form_offers_the_taxonomy_and_records_whether_the_suggestion_was_taken(
    model: ClassifierModel,
) -> None:
    city = build_city()
    case = register(city, **SMOKE)  # type: ignore[arg-type]
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    client = Client()
    client.force_login(officer.user)
    page = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert 'name="triage-content_category"' in page and '<option value="环境保护">' in page
    assert 'data-testid="triage-suggestion"' in page and 'data-target="triage-content_category"' in page
    assert client.post(f"/work/triage/suggest/{case.pk}/").json()["category"]["label"] == "环境保护"
    form = {"triage-category": "grievance", "triage-content_category": "环境保护", "triage-expected_version": 0}
    form["triage-expected_version"] = case.version
    response = client.post(f"/work/cases/{case.pk}/act/triage/", form)
    assert response.status_code == 302
    decided = Suggestion.objects.get(case=case)
    assert decided.decided_label == "环境保护" and decided.accepted is True and decided.decided_by == officer
    triage = Event.objects.get(action="triage", case_id=case.pk)
    assert triage.payload["content_category"] == "环境保护"
    timeline = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert "采纳内容分类建议" in timeline


def test_an_unknown_content_category_is_refused_naming_the_field() -> None:
    city = build_city()
    case = register(city, **SMOKE)  # type: ignore[arg-type]
    client = Client()
    client.force_login(city.who(city.bureau, Role.TRIAGE_OFFICER).user)
    form = {"triage-category": "grievance", "triage-content_category": "不存在", "triage-expected_version": 0}
    form["triage-expected_version"] = case.version
    response = client.post(f"/work/cases/{case.pk}/act/triage/", form)
    assert response.status_code == 400 and "内容分类" in response.content.decode()


def test_a_repeat_is_found_among_all_petitions_through_the_keys_written_with_each_registration() -> None:
    city = build_city()
    earlier, case = _pair(city)
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    assert RepeatKey.objects.filter(petition_id=earlier.petition_id).exists()
    assert [h["case_id"] for h in suggest(case, officer).repeats] == [earlier.pk]
    # The earlier text corrected into another matter altogether: its keys follow, it is no longer proposed.
    other = {
        "request": "请求补发拖欠三个月的工资",
        "facts": "用人单位自去年十月起拖欠工资，多次讨要无果",
        "reasons": "",
    }
    correct_registration(earlier, city.who(city.bureau, Role.REGISTRAR), other, "登记时录错诉求")
    assert suggest(case, officer).repeats == []


def test_a_short_petition_reworded_by_a_neighbour_is_found_through_the_place_it_names() -> None:
    from xinfang.textmining.repeats import band_keys

    city = build_city()
    first = {"request": "翠湖花园小区门前道路施工围挡半年未拆，业主集体反映", "facts": "围挡占道，出行不便。"}
    again = {"request": "翠湖花园小区门口道路施工的围挡已经半年没拆了，业主们要求尽快拆除", "facts": "围挡占了半条路。"}
    earlier = register(city, when="2026-02-02", name="吴某", reasons="", **first)  # type: ignore[arg-type]
    case = register(city, when="2026-03-02", name="周某", reasons="", **again)  # type: ignore[arg-type]
    texts = [case_message(c).text for c in (earlier, case)]
    assert not set(band_keys(texts[0])) & set(band_keys(texts[1]))  # too few character pairs left for any band
    hits = suggest(case, city.who(city.bureau, Role.TRIAGE_OFFICER)).repeats
    assert [h["case_id"] for h in hits] == [earlier.pk] and "涉及相同地点：翠湖花园" in hits[0]["reasons"]


def test_a_letter_sent_by_many_costs_each_key_only_its_newest_holders(monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang.triage import selectors

    monkeypatch.setattr(selectors, "PER_KEY", 2)
    city = build_city()
    same = [register(city, when=f"2026-02-0{day}", name=f"居民{day}", **SMOKE) for day in range(1, 6)]  # type: ignore[arg-type]
    found = selectors.similar_petitions(selectors.case_message(same[0]).text, same[0].petition_id)
    # All five share every key; each key offers only its two newest holders, the asking petition left out.
    assert [p for p, _ in found] == [same[4].petition_id, same[3].petition_id]
    assert all(n == 28 for _, n in found)


def test_index_repeats_writes_the_keys_a_restored_database_lacks_and_rebuilds_them_unchanged() -> None:
    city = build_city()
    earlier, case = _pair(city)
    registered = sorted(RepeatKey.objects.values_list("petition_id", "key"))
    RepeatKey.objects.all().delete()
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    assert suggest(case, officer).repeats == []  # nothing to find until the keys are back
    out = StringIO()
    call_command("index_repeats", stdout=out)
    assert "2 件" in out.getvalue()
    assert sorted(RepeatKey.objects.values_list("petition_id", "key")) == registered
    call_command("index_repeats", stdout=out)  # nothing missing now
    assert "0 件" in out.getvalue().splitlines()[-1]
    call_command("index_repeats", "--rebuild", stdout=out)
    assert sorted(RepeatKey.objects.values_list("petition_id", "key")) == registered
    assert [h["case_id"] for h in suggest(case, officer).repeats] == [earlier.pk]


def test_the_desk_that_registered_it_sees_the_panel_until_triage(model: ClassifierModel) -> None:
    city = build_city()
    case = register(city, **SMOKE)  # type: ignore[arg-type]
    client = Client()
    client.force_login(city.who(city.bureau, Role.REGISTRAR).user)
    page = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert 'data-testid="triage-suggestion"' in page and 'name="triage-content_category"' not in page
    assert client.post(f"/work/triage/suggest/{case.pk}/").json()["category"]["label"] == "环境保护"
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    from xinfang.lifecycle.engine import perform

    perform(case, "triage", officer, {"category": "grievance"})
    assert 'data-testid="triage-suggestion"' not in client.get(f"/work/cases/{case.pk}/").content.decode()
