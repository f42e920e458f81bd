"""Writes of the leaders app: leader cases (领导包案), receptions, appointments and field visits. Each write is
one transaction with its event in the chain. The joint conference's writes are in `conference.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.intake.models import Channel
from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle import engine
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Organ, Role, Staff

from . import rhythm
from .models import (
    Appointment,
    AppointmentStatus,
    FieldVisit,
    LeaderCase,
    Outcome,
    ProgressNote,
    ReceptionDay,
)

BASIS = "《信访工作条例》第十八条第二款"
RECEPTION_BASIS = "《信访工作条例》第十八条第一款、第二款"


class Refused(Exception):
    """A write refused, with the reason in Chinese naming the field."""


def _require(value: Any, label: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Refused(f"请填写「{label}」")


def _event(action: str, staff: Staff, now: dt.datetime, *, case: Case | None = None, **payload: Any) -> None:
    record_event(
        action=action,
        at=now,
        actor=staff.user,
        actor_label=str(staff),
        organ=staff.organ,
        case_id=case.pk if case is not None else None,
        petition_id=case.petition_id if case is not None else None,
        basis=payload.pop("basis", BASIS),
        payload=payload,
    )


# -- Leader cases ---------------------------------------------------------------------------------------------


def take_case(
    case: Case, leader: Staff, *, steps: str, target_date: dt.date | None, now: dt.datetime | None = None
) -> LeaderCase:
    """A leader of the handling organ or above takes the case: the engine performs `take_leader_case` (which
    checks the role and the organ) and the plan is stored in the same transaction."""
    now = now or timezone.now()
    if not leader.has_role(Role.LEADER):
        raise Refused("只有领导可以包案")
    if not can_read(leader, case):
        raise Refused("无权查看该案件，不能包案")
    _require(steps, "化解方案（步骤）")
    _require(target_date, "计划化解日期")
    assert target_date is not None
    if target_date < timezone.localdate(now):
        raise Refused("「计划化解日期」不能早于今天")
    if LeaderCase.objects.filter(case=case, leader=leader, closed_at__isnull=True).exists():
        raise Refused("您已包案该案件")
    with transaction.atomic():
        label = f"{leader.display_name}（{leader.organ.name}）"
        engine.perform(case, "take_leader_case", leader, {"leader": label}, now=now)
        lc = LeaderCase.objects.create(
            case=case,
            leader=leader,
            organ=leader.organ,
            taken_at=now,
            steps=steps.strip(),
            target_date=target_date,
            rhythm_days=rhythm.progress_every_days(),
        )
        _event("leader_case_plan", leader, now, case=case, leader_case=lc.pk, target_date=target_date.isoformat())
    return lc


def record_progress(lc: LeaderCase, staff: Staff, text: str, now: dt.datetime | None = None) -> ProgressNote:
    now = now or timezone.now()
    if staff.pk != lc.leader_id:
        raise Refused("只有包案领导本人可以记录进展")
    if not lc.is_open:
        raise Refused("该包案已结案")
    _require(text, "进展情况")
    with transaction.atomic():
        note = ProgressNote.objects.create(leader_case=lc, author=staff, at=now, text=text.strip())
        _event("leader_case_progress", staff, now, case=lc.case, leader_case=lc.pk)
    return note


def close_case(lc: LeaderCase, staff: Staff, outcome: str, reason: str, now: dt.datetime | None = None) -> LeaderCase:
    now = now or timezone.now()
    if staff.pk != lc.leader_id:
        raise Refused("只有包案领导本人可以结案")
    if not lc.is_open:
        raise Refused("该包案已结案")
    if outcome not in Outcome.values:
        raise Refused("请选择「化解结果」")
    _require(reason, "结果说明")
    with transaction.atomic():
        lc.outcome, lc.outcome_reason, lc.closed_at = outcome, reason.strip(), now
        lc.save(update_fields=["outcome", "outcome_reason", "closed_at"])
        _event("leader_case_close", staff, now, case=lc.case, leader_case=lc.pk, outcome=outcome)
    return lc


# -- Reception days, appointments, field visits ----------------------------------------------------------------


def publish_reception(
    staff: Staff,
    *,
    leader: Staff | None,
    day: dt.date | None,
    starts: dt.time | None,
    ends: dt.time | None,
    place: str,
    topics: str = "",
    now: dt.datetime | None = None,
) -> ReceptionDay:
    """Publish a leader's reception day of the staff member's organ (Art. 18(1): 信访接待的时间和地点)."""
    now = now or timezone.now()
    if not staff.has_role(Role.LEADER, Role.REGISTRAR):
        raise Refused("只有领导或登记员可以公布接访安排")
    _require(leader, "接访领导")
    _require(day, "接访日期")
    _require(starts, "开始时间")
    _require(ends, "结束时间")
    _require(place, "接访地点")
    assert leader is not None and day is not None and starts is not None and ends is not None
    if leader.organ_id != staff.organ_id or not leader.has_role(Role.LEADER):
        raise Refused("「接访领导」须为本机关领导")
    if ends <= starts:
        raise Refused("「结束时间」须晚于开始时间")
    with transaction.atomic():
        reception = ReceptionDay.objects.create(
            organ=staff.organ, leader=leader, day=day, starts=starts, ends=ends, place=place.strip(), topics=topics
        )
        _event("publish_reception", staff, now, reception=reception.pk, basis=RECEPTION_BASIS)
    return reception


def register_at_reception(
    reception: ReceptionDay, staff: Staff, data: PetitionInput, now: dt.datetime | None = None
) -> Case:
    """Register a petition received at a leader's reception: the channel is 领导接访 and it is linked."""
    now = now or timezone.now()
    if reception.organ_id != staff.organ_id or not staff.has_role(Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.LEADER):
        raise Refused("只有本机关登记员或领导可以登记接访件")
    data.channel = Channel.LEADER_RECEPTION
    with transaction.atomic():
        case = register_petition(data, organ=staff.organ, actor=staff, now=now)
        reception.petitions.add(case.petition)
        _event("register_at_reception", staff, now, case=case, reception=reception.pk, basis=RECEPTION_BASIS)
    return case


def leaders_for(case: Case) -> list[Staff]:
    """The leaders who may receive the petitioner of a case: of the handling organ and the organs above it."""
    organs = [o for o in Organ.objects.filter(pk__in=_ancestor_ids(case.organ)) if o.oversees(case.organ)]
    staff = Staff.objects.filter(organ__in=organs).select_related("organ").order_by("organ__path", "display_name")
    return [s for s in staff if s.has_role(Role.LEADER)]


def _ancestor_ids(organ: Organ) -> list[int]:
    ids: list[int] = []
    current: Organ | None = organ
    while current is not None:
        ids.append(current.pk)
        current = current.superior
    return ids


def book_appointment(
    case: Case,
    staff: Staff,
    *,
    leader: Staff | None,
    starts_at: dt.datetime | None,
    place: str,
    note: str = "",
    replaces: Appointment | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """约访: book the petitioner of ``case`` with a leader (of the handling organ or above) for a slot."""
    now = now or timezone.now()
    if not can_read(staff, case):
        raise Refused("无权查看该案件，不能预约")
    _require(leader, "约访领导")
    _require(starts_at, "约访时间")
    _require(place, "地点")
    assert leader is not None and starts_at is not None
    if leader.pk not in {s.pk for s in leaders_for(case)}:
        raise Refused("「约访领导」须为办理机关或其上级机关的领导")
    if starts_at <= now:
        raise Refused("「约访时间」须晚于现在")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            case=case,
            leader=leader,
            starts_at=starts_at,
            place=place.strip(),
            note=note.strip(),
            booked_by=staff,
            booked_at=now,
            replaces=replaces,
        )
        _event(
            "book_appointment",
            staff,
            now,
            case=case,
            appointment=appointment.pk,
            starts_at=starts_at.isoformat(),
            replaces=replaces.pk if replaces else None,
        )
    return appointment


def mark_appointment(appointment: Appointment, staff: Staff, status: str, now: dt.datetime | None = None) -> None:
    """Record that the petitioner came (已接谈) or did not (未到场)."""
    now = now or timezone.now()
    if status not in (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW):
        raise Refused("请选择「到场情况」")
    if appointment.status != AppointmentStatus.BOOKED:
        raise Refused("该约访已处理")
    if appointment.starts_at > now:
        raise Refused("约访时间未到，不能记录到场情况")
    with transaction.atomic():
        appointment.status = status
        appointment.save(update_fields=["status"])
        _event("mark_appointment", staff, now, case=appointment.case, appointment=appointment.pk, status=status)


def reschedule(
    appointment: Appointment, staff: Staff, *, starts_at: dt.datetime | None, place: str, now: dt.datetime | None = None
) -> Appointment:
    now = now or timezone.now()
    if appointment.status not in (AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW):
        raise Refused("该约访不能改期")
    with transaction.atomic():
        new = book_appointment(
            appointment.case,
            staff,
            leader=appointment.leader,
            starts_at=starts_at,
            place=place or appointment.place,
            note=appointment.note,
            replaces=appointment,
            now=now,
        )
        appointment.status = AppointmentStatus.RESCHEDULED
        appointment.save(update_fields=["status"])
    return new


def record_field_visit(
    staff: Staff,
    *,
    day: dt.date | None,
    place: str,
    attendees: str,
    cases: list[Case],
    outcome: str,
    now: dt.datetime | None = None,
) -> FieldVisit:
    """下访: the leader's own visit, with the cases taken along (带案下访), the attendees and the outcome."""
    now = now or timezone.now()
    if not staff.has_role(Role.LEADER):
        raise Refused("只有领导可以记录下访")
    _require(day, "下访日期")
    _require(place, "下访地点")
    assert day is not None
    if any(not can_read(staff, case) for case in cases):
        raise Refused("「带案」中有无权查看的案件")
    with transaction.atomic():
        visit = FieldVisit.objects.create(
            organ=staff.organ,
            leader=staff,
            day=day,
            place=place.strip(),
            attendees=attendees.strip(),
            outcome=outcome.strip(),
            recorded_by=staff,
            recorded_at=now,
        )
        visit.cases.set(cases)
        _event("record_field_visit", staff, now, visit=visit.pk, cases=[c.pk for c in cases])
    return visit
