"""Petition agents (信访代办): an agent registers for a petitioner with consent, the petitioner keeps their own
query code, and the agent sees only the cases they represent (lifecycle.visibility)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city, register, staff
from xinfang.agents import services
from xinfang.agents.models import Mandate
from xinfang.intake.models import Channel
from xinfang.intake.services import PetitionInput
from xinfang.lifecycle.visibility import Access, case_access, readable_cases, visible_cases
from xinfang.org.models import Role, Staff
from xinfang.portal.models import QueryCode

pytestmark = pytest.mark.django_db


def _input(name: str = "孙某某") -> PetitionInput:
    return PetitionInput(
        channel="visit",
        request="请求解决村道硬化后排水不畅、雨天积水的问题",
        region_code="990102",
        name=name,
        address="甲县城关镇杨家庄村3组",
        contact="13700000000",
    )


def _agent(where: object) -> Staff:
    person = staff(where, Role.REGISTRAR, name="杨书记")  # type: ignore[arg-type]
    services.appoint(person, "村党支部书记")
    return person


def test_the_agent_registers_with_consent_and_the_petitioner_gets_their_own_code() -> None:
    city = build_city()
    agent = _agent(city.county_gov)
    with pytest.raises(services.AgentRefused, match="同意代办"):
        services.register_for(agent, _input(), consent=" ", consent_on=dt.date(2026, 3, 2), now=at("2026-03-02"))
    with pytest.raises(services.AgentRefused, match="姓名"):
        services.register_for(
            agent, _input(name=""), consent="同意", consent_on=dt.date(2026, 3, 2), now=at("2026-03-02")
        )
    case, code = services.register_for(
        agent, _input(), consent="孙某某签署代办委托书", consent_on=dt.date(2026, 3, 2), now=at("2026-03-02")
    )
    mandate = Mandate.objects.get()
    assert mandate.petition == case.petition and mandate.consent == "孙某某签署代办委托书"
    assert case.petition.channel == Channel.LETTER and case.petition.registered_by == agent
    assert QueryCode.objects.filter(petition=case.petition).exists() and len(code) == 9
    with pytest.raises(services.AgentRefused, match="代办员"):
        services.register_for(
            city.who(city.county_gov, Role.REGISTRAR), _input(), consent="同意", consent_on=dt.date(2026, 3, 2)
        )


def test_an_agent_cannot_see_a_case_they_do_not_represent() -> None:
    city = build_city()
    agent = _agent(city.county_gov)
    mine, _ = services.register_for(
        agent, _input(), consent="同意", consent_on=dt.date(2026, 3, 2), now=at("2026-03-02")
    )
    # Registered at the agent's own organ by its registrar: its staff may read it, the agent may not.
    other = register(city, city.county_gov, request="请求维修村小学围墙", name="周某某")
    colleague = city.who(city.county_gov, Role.REGISTRAR)
    assert case_access(colleague, other) == Access.FULL
    fresh = Staff.objects.get(pk=agent.pk)
    assert case_access(fresh, mine) == Access.FULL
    assert case_access(fresh, other) == Access.NONE
    assert set(visible_cases(fresh)) == {mine} and set(readable_cases(fresh)) == {mine}
    client = Client()
    client.force_login(agent.user)
    with time_machine.travel(at("2026-03-03"), tick=False):
        assert client.get(f"/work/cases/{other.pk}/").status_code == 404
        assert client.get(f"/work/cases/{mine.pk}/").status_code == 200
        listing = client.get("/work/cases/").content.decode()
        assert mine.petition.number in listing and other.petition.number not in listing
        found = client.get("/work/cases/?q=围墙").content.decode()
        assert other.petition.number not in found
        assert other.petition.number not in client.get("/work/agents/").content.decode()
        assert client.get("/work/").status_code == 200


def test_the_register_page_shows_the_code_once_and_refuses_non_agents() -> None:
    city = build_city()
    agent = _agent(city.county_gov)
    client = Client()
    client.force_login(agent.user)
    with time_machine.travel(at("2026-03-02", 15), tick=False):
        bad = client.post("/work/agents/register/", {"name": "孙某某", "region_code": "990102", "request": ""})
        assert bad.status_code == 400 and "「诉求」" in bad.content.decode()
        response = client.post(
            "/work/agents/register/",
            {
                "name": "孙某某",
                "address": "杨家庄村3组",
                "region_code": "990102",
                "request": "请求解决村道积水",
                "consent": "本人签署委托书",
                "consent_on": "2026-03-02",
            },
        )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="agent-code"' in page
    outsider = Client()
    outsider.force_login(city.who(city.county_gov, Role.REGISTRAR).user)
    assert outsider.get("/work/agents/register/").status_code == 403
