"""`suggest(case, staff)`: category with confidence and the next two, possible repeats, all recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client

from tests.factories import City, at, build_city, register, staff
from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Role
from xinfang.textmining.features import Message
from xinfang.triage.models import ClassifierModel, Suggestion
from xinfang.triage.services import record_decision, suggest, train_model

from .csvs import TRAIN

pytestmark = pytest.mark.django_db

WAGES = {"request": "请求责令建筑公司支付拖欠的三个月工资", "facts": "老板拖欠工资，也不缴社保，劳动合同没签"}
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def model(settings: object, tmp_path: Path) -> ClassifierModel:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    messages = [Message(title, body) for title, body, _ in TRAIN]
    return train_model(messages, [label for *_, label in TRAIN], source="测试", evaluate=False, now=at("2026-03-01"))


def _case(city: City, when: str = "2026-03-02", where: object = None, **fields: object) -> Case:
    return register(city, where, when=when, **fields)  # type: ignore[arg-type]


def test_suggests_the_category_with_the_next_two_and_records_it(model: ClassifierModel) -> None:
    city = build_city()
    case = _case(city, **WAGES)
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    suggestion = suggest(case, officer, now=at("2026-03-02", 11))
    assert suggestion.label == "劳动和社会保障"
    assert [label for label, _ in suggestion.alternatives] in (["环境保护", "教育文体"], ["教育文体", "环境保护"])
    assert suggestion.score is not None and suggestion.score > max(s for _, s in suggestion.alternatives)
    assert suggestion.model == model
    event = Event.objects.get(action="triage.suggested", case_id=case.pk)
    assert event.payload["label"] == "劳动和社会保障" and event.payload["model_version"] == model.version


def test_the_staff_decision_is_recorded_as_accepted_or_changed(model: ClassifierModel) -> None:
    city = build_city()
    case = _case(city, **WAGES)
    officer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    suggest(case, officer, now=at("2026-03-02", 11))
    accepted = record_decision(case, officer, "劳动和社会保障", now=at("2026-03-02", 12))
    assert accepted is not None and accepted.accepted is True and accepted.decided_by == officer
    suggest(case, officer, now=at("2026-03-03", 11))
    changed = record_decision(case, officer, "城乡建设", now=at("2026-03-03", 12))
    assert changed is not None and changed.accepted is False and changed.decided_label == "城乡建设"
    actions = list(Event.objects.filter(case_id=case.pk, action__startswith="triage.suggestion_").values_list("action"))
    assert actions == [("triage.suggestion_accepted",), ("triage.suggestion_changed",)]
    assert Suggestion.objects.filter(case=case).count() == 2


def test_no_suggestion_no_decision_row() -> None:
    city = build_city()
    case = _case(city, **WAGES)
    assert record_decision(case, city.who(city.bureau, Role.TRIAGE_OFFICER), "城乡建设") is None


def test_earlier_petitions_of_the_same_person_and_similar_texts_are_proposed(model: ClassifierModel) -> None:
    city = build_city()
    earlier = _case(city, when="2026-01-05", id_number=ID_NUMBER, request="请求解决小区停车位被占用的问题", facts="")
    copied = _case(city, when="2026-02-10", name="李某", id_number="", **WAGES)
    unrelated = _case(city, when="2026-02-11", name="赵某", request="请求修复人民公园里损坏的健身器材", facts="")
    final = _case(city, when="2026-02-12", name="钱某", request=WAGES["request"] + "，已复核", facts=WAGES["facts"])
    final.matter.final_at = at("2026-02-20")
    final.matter.save(update_fields=["final_at"])
    case = _case(city, when="2026-03-02", id_number=ID_NUMBER, **WAGES)
    suggestion = suggest(case, city.who(city.bureau, Role.TRIAGE_OFFICER))
    hits = {r["case_id"]: r for r in suggestion.repeats}
    assert set(hits) == {earlier.pk, copied.pk, final.pk}
    assert unrelated.pk not in hits
    assert hits[earlier.pk]["same_person"] is True and "同一信访人" in hits[earlier.pk]["reasons"]
    assert hits[copied.pk]["same_person"] is False and hits[copied.pk]["similarity"] >= 0.6
    assert hits[final.pk]["final"] is True


def test_a_confidential_accusation_never_reaches_staff_the_rules_exclude(model: ClassifierModel) -> None:
    city = build_city()
    text = {"request": "检举甲县住建局工作人员李某某在拆迁评估中索要好处费", "facts": "李某某索要好处费两万元"}
    accusation = _case(city, where=city.county_bureau, when="2026-02-01", accusation=True, **text)
    plain = _case(city, where=city.county_bureau, when="2026-02-02", name="周某", **text)
    query = _case(city, where=city.county_bureau, when="2026-03-02", name="吴某", **text)
    desk = city.who(city.county_bureau, Role.TRIAGE_OFFICER)
    overseer = city.who(city.bureau, Role.TRIAGE_OFFICER)
    # Preconditions from the confidentiality rules: the city bureau reads the county's plain cases, not the
    # county's confidential accusation; the county desk that holds it reads both.
    assert can_read(overseer, plain) and can_read(overseer, query) and not can_read(overseer, accusation)
    assert can_read(desk, accusation)
    seen_by_desk = {r["case_id"] for r in suggest(query, desk).repeats}
    seen_by_overseer = suggest(query, overseer).repeats
    assert seen_by_desk == {accusation.pk, plain.pk}
    assert {r["case_id"] for r in seen_by_overseer} == {plain.pk}
    assert accusation.petition.number not in str(seen_by_overseer)
    # Staff of the accused organ may not read the case at all: nothing is suggested to them.
    accused = staff(city.county_housing, Role.TRIAGE_OFFICER)
    with pytest.raises(PermissionDenied):
        suggest(accusation, accused)


def test_the_json_endpoint_is_for_staff_who_may_read_the_case(model: ClassifierModel) -> None:
    city = build_city()
    case = _case(city, **WAGES)
    url = f"/work/triage/suggest/{case.pk}/"
    assert Client().post(url).status_code == 302  # to the login page
    client = Client()
    client.force_login(city.who(city.bureau, Role.TRIAGE_OFFICER).user)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    body = response.json()
    assert body["category"]["label"] == "劳动和社会保障" and len(body["alternatives"]) == 2
    outsider = Client()
    outsider.force_login(staff(city.other_county_housing, Role.TRIAGE_OFFICER).user)
    assert outsider.post(url).status_code == 404
    assert Suggestion.objects.filter(case=case).count() == 1


def test_without_a_model_only_repeats_are_suggested() -> None:
    city = build_city()
    case = _case(city, **WAGES)
    suggestion = suggest(case, city.who(city.bureau, Role.TRIAGE_OFFICER))
    assert suggestion.label == "" and suggestion.model is None and suggestion.alternatives == []


def test_the_panel_partial_points_at_the_endpoint_of_its_case() -> None:
    city = build_city()
    case = _case(city, **WAGES)
    html = render_to_string("triage/_suggestion.html", {"case": case, "csrf_token": "t"})
    assert f'data-suggest-url="/work/triage/suggest/{case.pk}/"' in html
    assert "triage/suggest.js" in html and "由工作人员决定" in html
