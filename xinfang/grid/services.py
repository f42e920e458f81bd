"""Writes of grid management: areas and workers, a worker's report, and how it ends. One transaction each, with
its event; a report turned into a petition is registered through `intake.services.register_petition`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.intake.models import Channel
from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Role, Staff
from xinfang.rules.disputes import dispute_kinds

from .models import Area, Outcome, Report, Worker

BASIS = dispute_kinds().citation.short()


class GridRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any, label: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise GridRefused(f"请填写「{label}」")
    return text


def _event(action: str, report: Report, actor: Staff, now: dt.datetime, **payload: Any) -> None:
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=report.area.organ,
        basis=BASIS,
        payload={"report": report.pk, "area": report.area.name, "kind": report.kind_label, **payload},
        petition_id=report.petition_id,
    )


@transaction.atomic
def add_area(name: str, organ: Organ, description: str = "") -> Area:
    return Area.objects.create(name=_text(name, "网格名称"), organ=organ, description=description)


@transaction.atomic
def add_worker(area: Area, staff: Staff, since: dt.date) -> Worker:
    return Worker.objects.create(area=area, staff=staff, since=since)


def is_worker(staff: Staff, area: Area) -> bool:
    return Worker.objects.filter(area=area, staff=staff).exists()


@transaction.atomic
def report(
    actor: Staff,
    area: Area,
    *,
    kind: str,
    place: str,
    parties: str,
    description: str,
    now: dt.datetime | None = None,
) -> Report:
    """A grid worker reports a dispute in their own area."""
    now = now or timezone.now()
    if not is_worker(actor, area):
        raise GridRefused(f"只有{area.name}的网格员可以上报本网格的矛盾纠纷")
    if kind not in {k.id for k in dispute_kinds().kinds}:
        raise GridRefused("请选择「纠纷类别」")
    made = Report.objects.create(
        area=area,
        reporter=actor,
        kind=kind,
        place=_text(place, "地点"),
        parties=_text(parties, "当事人"),
        description=_text(description, "纠纷情况"),
        reported_at=now,
    )
    _event("report_dispute", made, actor, now)
    return made


def may_handle(staff: Staff, report: Report) -> bool:
    """The reporter, another worker of the area, or a registrar of the area's organ."""
    area = report.area
    return is_worker(staff, area) or (staff.organ_id == area.organ_id and staff.has_role(Role.REGISTRAR))


def _lock(report: Report, actor: Staff) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("area__organ").get(pk=report.pk)
    if not may_handle(actor, report):
        raise GridRefused(f"只有{report.area.name}的网格员或{report.area.organ.name}的登记员可以处置")
    if report.outcome != Outcome.OPEN:
        raise GridRefused(f"该纠纷已处置：{report.get_outcome_display()}")
    return report


@transaction.atomic
def conclude(report: Report, actor: Staff, *, outcome: str, note: str, now: dt.datetime | None = None) -> Report:
    """Resolved on the spot, or mediated (by the grid worker, a village mediation team, a mediation body)."""
    now = now or timezone.now()
    report = _lock(report, actor)
    if outcome not in (Outcome.RESOLVED, Outcome.MEDIATED):
        raise GridRefused("「处置结果」须为当场化解或调解化解")
    report.outcome, report.outcome_note = outcome, _text(note, "处置情况")
    report.concluded_by, report.concluded_at = actor, now
    report.save(update_fields=["outcome", "outcome_note", "concluded_by", "concluded_at"])
    _event("conclude_dispute", report, actor, now, outcome=Outcome(outcome).label)
    return report


@transaction.atomic
def to_petition(
    report: Report,
    actor: Staff,
    *,
    name: str,
    address: str,
    contact: str = "",
    id_number: str = "",
    request: str,
    facts: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Register the dispute as a petition at the area's organ, the reporter as its registrar; link both ways."""
    now = now or timezone.now()
    report = _lock(report, actor)
    data = PetitionInput(
        channel=Channel.OTHER,
        request=request,
        region_code=report.area.organ.region_code,
        received_at=now,
        name=name,
        address=address,
        contact=contact,
        id_number=id_number,
        facts=facts,
        summary=f"网格上报：{report.kind_label}",
    )
    try:
        case = register_petition(data, organ=report.area.organ, actor=actor, now=now)
    except ValidationError as invalid:
        messages = [str(m) for problems in invalid.message_dict.values() for m in problems]
        raise GridRefused("；".join(messages)) from invalid
    report.outcome, report.petition = Outcome.PETITION, case.petition
    report.outcome_note = f"已转为信访事项{case.petition.number}"
    report.concluded_by, report.concluded_at = actor, now
    report.save(update_fields=["outcome", "petition", "outcome_note", "concluded_by", "concluded_at"])
    _event("dispute_to_petition", report, actor, now, number=case.petition.number)
    return case


def prefill(report: Report) -> dict[str, str]:
    """What the registration form starts with: the report's text, the first party named, the area's place."""
    first = re.split(r"[、，,；;\s]+", report.parties.strip())[0]
    return {
        "name": first,
        "request": report.description,
        "facts": f"网格员{report.reporter.display_name}于{timezone.localtime(report.reported_at):%Y年%-m月%-d日}"
        f"在{report.place}上报（{report.kind_label}）。当事人：{report.parties}",
        "address": report.place,
    }
