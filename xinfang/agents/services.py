"""Writes of 信访代办: appoint an agent; an agent registers a petition for a petitioner with their consent.

The petition is registered through `intake.services.register_petition` at the agent's organ, as a letter (the
agent hands in the written request); the petitioner gets their own query code on the receipt the agent prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.intake.models import Channel
from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role, Staff
from xinfang.portal.services import issue_query_code

from .models import Agent, Mandate

BASIS = "《信访工作条例》第五条第二项"  # 千方百计为群众排忧解难


class AgentRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def agent_of(staff: Staff) -> Agent | None:
    return Agent.objects.filter(staff=staff, active=True).first()


@transaction.atomic
def appoint(staff: Staff, title: str) -> Agent:
    if not title.strip():
        raise AgentRefused("请填写「身份」")
    if not staff.has_role(Role.REGISTRAR):  # registering opens the case as the desk's registrar does (T1)
        raise AgentRefused("信访代办员须有登记员角色，才能代为登记")
    return Agent.objects.create(staff=staff, title=title.strip())


@transaction.atomic
def register_for(
    actor: Staff,
    data: PetitionInput,
    *,
    consent: str,
    consent_on: dt.date | None,
    now: dt.datetime | None = None,
) -> tuple[Case, str]:
    """Register ``data`` on the petitioner's behalf; returns the case and the petitioner's query code."""
    now = now or timezone.now()
    agent = agent_of(actor)
    if agent is None:
        raise AgentRefused("只有信访代办员可以代为登记")
    if not consent.strip():
        raise AgentRefused("请填写「信访人同意代办的情况」")
    if consent_on is None or consent_on > timezone.localdate(now):
        raise AgentRefused("请填写「同意日期」，且不能晚于今天")
    if data.anonymous or not data.name.strip():
        raise AgentRefused("代办须写明信访人的「姓名（名称）」")
    data = dataclasses.replace(data, channel=Channel.LETTER, received_at=now)
    try:
        case = register_petition(data, organ=actor.organ, actor=actor, now=now)
    except ValidationError as invalid:
        raise AgentRefused("；".join(m for problems in invalid.message_dict.values() for m in problems)) from invalid
    Mandate.objects.create(
        agent=agent, petition=case.petition, consent=consent.strip(), consent_on=consent_on, created_at=now
    )
    if hasattr(actor, "_represented_petitions"):  # the cached list (models.represented_petitions) is stale
        del actor._represented_petitions
    record_event(
        action="register_by_agent",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=case.pk,
        petition_id=case.petition_id,
        basis=BASIS,
        payload={"agent": str(agent), "consent": consent.strip(), "consent_on": consent_on},
    )
    code = issue_query_code(case, actor, now=now)
    return case, code
