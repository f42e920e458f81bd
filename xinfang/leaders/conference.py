"""Writes of the joint conference (信访工作联席会议, Arts. 12-13): meetings, agenda items linked to cases or
warnings, decisions assigned to organs with a deadline, and the rhythm reports (日报告、周分析、月排查、季调度)
drafted from the statistics and the warnings, completed and filed by staff."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Organ, Role, Staff
from xinfang.warning.models import Alert

from . import drafts, rhythm
from .models import AgendaItem, Conference, ConferenceKind, Decision, ReportKind, RhythmReport
from .services import Refused, _event, _require

BASIS = "《信访工作条例》第十三条"
CONVENERS = (Role.LEADER, Role.SUPERVISOR, Role.ANALYST)


def may_convene(staff: Staff) -> bool:
    return staff.has_role(*CONVENERS)


def record_conference(
    staff: Staff,
    *,
    kind: str,
    title: str,
    held_on: dt.date | None,
    members: list[Organ],
    now: dt.datetime | None = None,
) -> Conference:
    now = now or timezone.now()
    if not may_convene(staff):
        raise Refused("只有领导、督查员或分析员可以记录联席会议")
    if kind not in ConferenceKind.values:
        raise Refused("请选择「会议类型」")
    _require(title, "会议名称")
    _require(held_on, "召开日期")
    if not members:
        raise Refused("请选择「成员单位」")
    if any(not staff.organ.oversees(m) and m.pk != staff.organ_id for m in members):
        raise Refused("「成员单位」须为本机关及所辖机关、单位")
    assert held_on is not None
    with transaction.atomic():
        conference = Conference.objects.create(
            organ=staff.organ, kind=kind, title=title.strip(), held_on=held_on, recorded_by=staff, recorded_at=now
        )
        conference.members.set(members)
        _event("record_conference", staff, now, conference=conference.pk, kind=kind, basis=BASIS)
    return conference


def add_agenda_item(
    conference: Conference,
    staff: Staff,
    *,
    title: str,
    case: Case | None = None,
    alert: Alert | None = None,
    now: dt.datetime | None = None,
) -> AgendaItem:
    now = now or timezone.now()
    if staff.organ_id != conference.organ_id or not may_convene(staff):
        raise Refused("只有召集机关可以添加议题")
    _require(title, "议题")
    if case is not None and not can_read(staff, case):
        raise Refused("「关联案件」无权查看")
    with transaction.atomic():
        item = AgendaItem.objects.create(conference=conference, title=title.strip(), case=case, alert=alert)
        _event(
            "add_agenda_item",
            staff,
            now,
            case=case,
            conference=conference.pk,
            item=item.pk,
            alert=alert.pk if alert else None,
            basis=BASIS,
        )
    return item


def add_decision(
    conference: Conference,
    staff: Staff,
    *,
    text: str,
    organ: Organ | None,
    deadline: dt.date | None,
    item: AgendaItem | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """议定事项: assigned to an organ (a member of the conference) with the date it must be done by."""
    now = now or timezone.now()
    if staff.organ_id != conference.organ_id or not may_convene(staff):
        raise Refused("只有召集机关可以记录议定事项")
    _require(text, "议定事项")
    _require(organ, "落实单位")
    _require(deadline, "完成期限")
    assert organ is not None and deadline is not None
    if not conference.members.filter(pk=organ.pk).exists():
        raise Refused("「落实单位」须为本次会议的成员单位")
    if deadline < conference.held_on:
        raise Refused("「完成期限」不能早于会议日期")
    with transaction.atomic():
        decision = Decision.objects.create(
            conference=conference, item=item, text=text.strip(), organ=organ, deadline=deadline
        )
        _event(
            "assign_decision",
            staff,
            now,
            conference=conference.pk,
            decision=decision.pk,
            organ_id=organ.pk,
            deadline=deadline.isoformat(),
            basis=BASIS,
        )
    return decision


def complete_decision(decision: Decision, staff: Staff, report: str, now: dt.datetime | None = None) -> Decision:
    """The assigned organ reports what it did (及时报送落实情况, Art. 12(2))."""
    now = now or timezone.now()
    if staff.organ_id != decision.organ_id:
        raise Refused("只有落实单位可以报送落实情况")
    if decision.done_at is not None:
        raise Refused("该议定事项已报送落实情况")
    _require(report, "落实情况")
    with transaction.atomic():
        decision.report, decision.done_at = report.strip(), now
        decision.save(update_fields=["report", "done_at"])
        _event("complete_decision", staff, now, decision=decision.pk, basis=BASIS)
    return decision


def generate_report(staff: Staff, kind: str, day: dt.date, now: dt.datetime | None = None) -> RhythmReport:
    """Draft a rhythm report of the staff member's organ from the real figures of its scope."""
    now = now or timezone.now()
    if not may_convene(staff):
        raise Refused("只有领导、督查员或分析员可以生成工作报告")
    if kind not in ReportKind.values:
        raise Refused("请选择「报告类型」")
    start, end = rhythm.period(kind, day)
    figures = drafts.figures(staff.organ, start, end)
    text = drafts.render(staff.organ, kind, start, end, figures)
    with transaction.atomic():
        report = RhythmReport.objects.create(
            organ=staff.organ,
            kind=kind,
            start=start,
            end=end,
            figures=figures,
            draft=text,
            text=text,
            created_by=staff,
            created_at=now,
        )
        _event("draft_rhythm_report", staff, now, report=report.pk, kind=kind, basis=rhythm.conference_basis())
    return report


def file_report(report: RhythmReport, staff: Staff, text: str, now: dt.datetime | None = None) -> RhythmReport:
    now = now or timezone.now()
    if staff.organ_id != report.organ_id or not may_convene(staff):
        raise Refused("只有本机关领导、督查员或分析员可以报送")
    if report.filed_at is not None:
        raise Refused("该报告已报送")
    _require(text, "报告正文")
    with transaction.atomic():
        report.text, report.filed_by, report.filed_at = text.strip(), staff, now
        report.save(update_fields=["text", "filed_by", "filed_at"])
        _event("file_rhythm_report", staff, now, report=report.pk, kind=report.kind, basis=rhythm.conference_basis())
    return report
