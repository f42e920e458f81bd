"""The desk asks whether a petition accuses, and whom: the case is confidential from registration (Art. 30(3))."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, staff
from xinfang.intake.models import AccusedParty
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

LETTER = {
    "received_at": "2026-03-02T09:30",
    "name": "孙某",
    "id_number": "11010519491231002X",
    "contact": "13900000001",
    "address": "甲县城关镇",
    "region_code": "990102",
    "request": "检举甲县住建局工作人员李某某在拆迁评估中索要好处费",
}


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person.user)  # type: ignore[attr-defined]
    return client


def test_an_accusation_registered_at_the_desk_is_confidential_before_any_triage() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        desk = _client(city.who(city.bureau, Role.REGISTRAR))
        response = desk.post(
            "/work/register/letter/",
            {**LETTER, "accusation": "on", "accused_persons": f"李某某 {city.county_housing.name}"},
        )
        assert response.status_code == 302
        case = Case.objects.get(pk=int(re.search(r"/cases/(\d+)/", response["Location"]).group(1)))  # type: ignore[union-attr]
        assert [(p.person_name, p.organ_id) for p in AccusedParty.objects.filter(petition=case.petition)] == [
            ("李某某", city.county_housing.pk)
        ]
        # The desk that registered it reads it; the accused person's organ does not even learn it exists.
        assert "索要好处费" in desk.get(response["Location"]).content.decode()
        accused = _client(staff(city.county_housing, Role.TRIAGE_OFFICER, Role.HANDLER))
        assert accused.get(response["Location"]).status_code == 404
        assert case.petition.number not in accused.get("/work/cases/").content.decode()
        # Still untriaged, the bureau's analyst of the same tree sees only that it exists.
        analyst = _client(staff(city.county_gov, Role.ANALYST))
        assert analyst.get(response["Location"]).status_code == 404  # the county government holds the accused


def test_naming_an_accused_without_ticking_accusation_is_refused_naming_the_field() -> None:
    city = build_city()
    with time_machine.travel(at("2026-03-02"), tick=False):
        desk = _client(city.who(city.bureau, Role.REGISTRAR))
        response = desk.post("/work/register/letter/", {**LETTER, "accused_organs": [city.county_housing.pk]})
        assert response.status_code == 400
        assert "请勾选「检举、揭发、控告」" in response.content.decode()
        response = desk.post(
            "/work/register/letter/", {**LETTER, "accusation": "on", "accused_persons": "李某某 不存在的局"}
        )
        assert response.status_code == 400 and "第1行" in response.content.decode()
        assert not Case.objects.exists()
