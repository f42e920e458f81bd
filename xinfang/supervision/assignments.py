"""Writes for cases assigned from higher levels (国家信访局交办、省交办、市交办) and backlog campaigns (积案化解).
Each write is an event. The report-back deadline is the one the assigning level set (条例 Art. 22 ¶1(3):
“要求其在指定办理期限内反馈结果，提交办结报告”), entered as a date, never a number of days typed here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Role, Staff

from .models import Assignment, Campaign, CampaignCase, Level

ART_22 = "《信访工作条例》第二十二条第一款第三项"
RECORDERS = (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.SUPERVISOR)
REPORTERS = (Role.HANDLER, Role.APPROVER, Role.TRIAGE_OFFICER, Role.LEADER)


class AssignmentRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _event(action: str, actor: Staff, now: dt.datetime, case: Case | None, **payload: object) -> None:
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=case.pk if case else None,
        petition_id=case.petition_id if case else None,
        basis=ART_22 if case else "《信访工作条例》第三十八条第二款",
        payload=dict(payload),
    )


@transaction.atomic
def record_assignment(
    case: Case,
    actor: Staff,
    *,
    level: str,
    reference: str,
    requirement: str,
    report_due: dt.date,
    now: dt.datetime | None = None,
) -> Assignment:
    """Record that a higher level assigned this case, with the report-back date it set."""
    now = now or timezone.now()
    if not actor.has_role(*RECORDERS) or not can_read(actor, case):
        raise AssignmentRefused("只有能查阅本案的登记员、分办员或督查员可以登记上级交办")
    if not (actor.organ_id == case.organ_id or actor.organ.oversees(case.organ)):
        raise AssignmentRefused(f"只有{case.organ.name}或其上级信访部门可以登记上级交办")
    if level not in Level.values:
        raise AssignmentRefused("请选择「交办层级」")
    if not reference.strip():
        raise AssignmentRefused("请填写「交办文号」")
    if report_due <= timezone.localdate(now):
        raise AssignmentRefused("「报结期限」须晚于今天")
    assignment = Assignment.objects.create(
        case=case,
        level=level,
        reference=reference.strip(),
        requirement=requirement.strip(),
        report_due=report_due,
        recorded_by=actor,
        recorded_at=now,
    )
    _event("record_higher_assignment", actor, now, case, assignment=assignment.pk, level=level, due=str(report_due))
    return assignment


@transaction.atomic
def report_assignment(
    assignment: Assignment, actor: Staff, report: str, *, now: dt.datetime | None = None
) -> Assignment:
    """The handling organ's report back (办结报告) to the assigning level."""
    now = now or timezone.now()
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("case__organ").get(pk=assignment.pk)
    case = assignment.case
    if actor.organ_id != case.acting_organ_id or not actor.has_role(*REPORTERS):
        raise AssignmentRefused(f"只有{case.acting_organ.name}的承办人员可以报送办结报告")
    if assignment.reported_at is not None:
        raise AssignmentRefused("本交办事项已经报结")
    if not report.strip():
        raise AssignmentRefused("请填写「办结报告」")
    assignment.report, assignment.reported_by, assignment.reported_at = report.strip(), actor, now
    assignment.save(update_fields=["report", "reported_by", "reported_at"])
    late = timezone.localdate(now) > assignment.report_due
    _event("report_higher_assignment", actor, now, case, assignment=assignment.pk, late=late)
    return assignment


def scan_assignments(today: dt.date, now: dt.datetime) -> int:
    """Flag assignments not reported back by their date (once); called from services.scan."""
    flagged = 0
    pending = Assignment.objects.select_for_update().filter(
        reported_at__isnull=True, report_due__lt=today, late_since__isnull=True
    )
    for assignment in pending.select_related("case__organ"):
        assignment.late_since = assignment.report_due + dt.timedelta(days=1)
        assignment.save(update_fields=["late_since"])
        record_event(
            action="higher_assignment_late",
            at=now,
            organ=assignment.case.organ,
            case_id=assignment.case_id,
            basis="《信访工作条例》第四十五条第一项",
            payload={"assignment": assignment.pk, "due": str(assignment.report_due)},
        )
        flagged += 1
    return flagged


@transaction.atomic
def create_campaign(
    actor: Staff,
    *,
    name: str,
    target: str,
    ends_on: dt.date,
    entries: Iterable[tuple[Case, str]],
    now: dt.datetime | None = None,
) -> Campaign:
    """A backlog campaign over cases the bureau's supervisor may read, each with its owner (包案责任人)."""
    now = now or timezone.now()
    if not actor.has_role(Role.SUPERVISOR) or not actor.organ.is_petition_bureau:
        raise AssignmentRefused("只有信访部门的督查员可以组织积案化解专项")
    chosen = list(entries)
    if not name.strip():
        raise AssignmentRefused("请填写「专项名称」")
    if not target.strip():
        raise AssignmentRefused("请填写「化解目标」")
    if not chosen:
        raise AssignmentRefused("请至少列入一件积案")
    if any(not owner.strip() for _case, owner in chosen):
        raise AssignmentRefused("请为每件积案填写「包案责任人」")
    if any(not can_read(actor, case) for case, _owner in chosen):
        raise AssignmentRefused("所列积案中有您无权查阅的案件")
    campaign = Campaign.objects.create(
        organ=actor.organ, name=name.strip(), target=target.strip(), ends_on=ends_on, created_by=actor, created_at=now
    )
    CampaignCase.objects.bulk_create(
        [CampaignCase(campaign=campaign, case=case, owner=owner.strip()) for case, owner in chosen]
    )
    _event("create_backlog_campaign", actor, now, None, campaign=campaign.pk, cases=[c.pk for c, _o in chosen])
    return campaign


@transaction.atomic
def record_progress(
    entry: CampaignCase, actor: Staff, *, resolved: bool, note: str, now: dt.datetime | None = None
) -> CampaignCase:
    now = now or timezone.now()
    entry = CampaignCase.objects.select_for_update(of=("self",)).select_related("campaign", "case").get(pk=entry.pk)
    if actor.organ_id != entry.campaign.organ_id or not actor.has_role(Role.SUPERVISOR):
        raise AssignmentRefused(f"只有{entry.campaign.organ.name}的督查员可以登记化解进展")
    entry.resolved, entry.note = resolved, note.strip()
    entry.resolved_at = now if resolved else None
    entry.save(update_fields=["resolved", "note", "resolved_at"])
    _event("record_backlog_progress", actor, now, entry.case, campaign=entry.campaign_id, resolved=resolved)
    return entry
