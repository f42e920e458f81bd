"""Reads for the public portal: what a petitioner may see of their own petition, and the published lists.

Nothing here shows internal notes, staff names or other petitioners' details: only the organ, the step,
the date, the running deadlines and the served documents addressed to the petitioner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.documents.models import Document, Status
from xinfang.intake.models import Petition
from xinfang.lifecycle.models import Case, Clock
from xinfang.lifecycle.permissions import acting_organ_for
from xinfang.lifecycle.states import NON_TERMINAL, State
from xinfang.lifecycle.table import BY_NAME
from xinfang.org.models import Level, Organ
from xinfang.rules.documents import default_document_kinds

from .models import Aspect, FollowUp, HearingResult, Rating

# The steps a petitioner sees, in their words. Internal steps (drafts, approvals, supervision, objections
# between organs) are left out; the deadlines below still show whether the organs keep time.
PUBLIC_STEPS = {
    "register": "已登记",
    "transfer": "已转送有权处理的机关",
    "assign": "已交办有权处理的机关",
    "route_political_legal": "已转同级政法部门依法处理",
    "route_discipline": "已转纪检监察机关依规依纪依法处理",
    "escalate": "已报请本级党委和政府决定",
    "refer_out": "已告知您向有权处理的机关提出",
    "not_accept": "不予受理，已书面告知",
    "not_reaccept": "不再受理，已书面告知",
    "accept": "已受理",
    "record_notice": "已书面告知受理情况",
    "divert": "已告知您通过法定途径解决",
    "investigate": "调查核实中",
    "extend": "办理期限已延长，已告知延期理由",
    "start_hearing": "举行听证",
    "start_mediation": "开始调解",
    "settle": "达成调解和解协议",
    "conclude_suggestion": "已研究并回复建议意见",
    "conclude_accusation": "检举控告已办结并反馈",
    "issue_opinion": "已出具信访处理意见",
    "serve_opinion": "信访处理意见书已送达",
    "request_review": "已收到您的复查请求",
    "decide_review": "复查意见已书面答复",
    "request_re_review": "已收到您的复核请求",
    "start_re_review_hearing": "复核听证",
    "issue_re_review_opinion": "已出具复核意见（最终意见）",
    "close_no_review": "期间内未请求复查（复核），已办结",
    "close_no_re_review": "期间内未请求复核，已办结",
    "accept_completion_report": "已办结",
    "rate": "您的评价已收到",
}

# The current stage in plain words, by state.
STAGES = {
    State.RECEIVED: "已收到，正在登记",
    State.REGISTERED: "已登记，信访部门正在甄别、分办",
    State.TRIAGED: "已甄别，正在决定由哪个机关办理",
    State.TRANSFERRED: "已转送有权处理的机关，等待其受理",
    State.ASSIGNED: "已交办有权处理的机关，由其办理并反馈结果",
    State.ESCALATED: "情况重大紧急，已报请党委和政府决定",
    State.ROUTED_POLITICAL_LEGAL: "涉法涉诉，已转政法部门依法处理",
    State.ROUTED_DISCIPLINE: "已转纪检监察机关处理",
    State.REFERRED_OUT: "不属于本机关职权范围，已告知您向有权处理的机关提出",
    State.NOT_ACCEPTED: "不予受理（已书面告知理由）",
    State.NOT_REACCEPTED: "不再受理（已书面告知理由）",
    State.OBJECTION_RAISED: "接收机关认为不属于其职权范围，正在重新确定办理机关",
    State.RETURNED: "正在重新确定办理机关",
    State.ACCEPTED: "已受理，正在办理",
    State.SUGGESTION_REVIEW: "正在研究论证您的建议意见",
    State.SUGGESTION_CONCLUDED: "建议意见已回复",
    State.ACCUSATION_HANDLING: "检举控告正在依规依纪依法办理",
    State.ACCUSATION_CONCLUDED: "检举控告已办结",
    State.DIVERTED: "已告知您通过诉讼、仲裁、行政复议等法定途径解决",
    State.DUTY_PERFORMANCE: "正在依法履行职责",
    State.INVESTIGATING: "正在调查核实",
    State.EXTENDED: "办理期限已延长，正在办理",
    State.HEARING: "正在举行听证",
    State.MEDIATION: "正在调解",
    State.SETTLED: "已达成调解和解协议",
    State.OPINION_ISSUED: "已出具信访处理意见书，正在送达",
    State.OPINION_DELIVERED: "信访处理意见书已送达；不服的，可以在期限内请求复查",
    State.REVIEW_REQUESTED: "正在复查",
    State.REVIEW_DELIVERED: "复查意见已送达；不服的，可以在期限内请求复核",
    State.RE_REVIEW_REQUESTED: "正在复核",
    State.RE_REVIEW_HEARING: "复核听证中",
    State.FINAL: "复核意见已作出，为最终意见",
    State.CLOSED_NO_REVIEW: "已办结",
    State.CLOSED: "已办结",
}

# What each clock means for the petitioner: "受理告知最迟 2026年12月7日".
CLOCK_WORDS = {
    "receipt_notice": "受理告知",
    "bureau_disposition": "信访部门分办",
    "handling": "办理答复",
    "handling_extension": "延期后办理答复",
    "assignment_report": "承办机关反馈结果",
    "recommendation_reply": "答复建议",
    "review": "复查答复",
    "re_review": "复核答复",
    "review_request": "您请求复查",
    "re_review_request": "您请求复核",
}
INTERNAL_CLOCKS = {"transfer_objection"}  # between organs: not the petitioner's concern


@dataclass
class ClockLine:
    words: str
    last_day: dt.date
    organ: str
    petitioner: bool
    overdue_days: int
    status: str
    provisional: bool = False  # the last day reaches a year whose holiday arrangement is not yet loaded


@dataclass
class Progress:
    petition: Petition
    case: Case
    stage: str
    organ: str
    steps: list[tuple[dt.datetime, str, str]] = field(default_factory=list)
    clocks: list[ClockLine] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    ratable: dict[str, dt.datetime | None] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)
    request: dict[str, Any] | None = None


def petition_by_number(number: str) -> Petition | None:
    return Petition.objects.filter(number=number.strip().upper()).first()


def leading_case(petition: Petition) -> Case:
    """The case that says where the petition stands now: the newest open one, else the newest."""
    cases = list(Case.objects.filter(petition=petition).select_related("organ__superior", "acting_organ"))
    open_cases = [c for c in cases if c.state in NON_TERMINAL]
    return max(open_cases or cases, key=lambda c: (c.received_at, c.pk))


# Requests the petitioner sent: the step names the organ that received them, not the one that decided before.
RECEIVED_REQUESTS = ("request_review", "request_re_review")


def _step_organ(event: Event) -> str:
    if event.action in RECEIVED_REQUESTS and event.payload.get("receiving_organ"):
        return str(event.payload["receiving_organ"])
    return event.organ.name if event.organ else ""


def _first(events: list[Event], names: tuple[str, ...]) -> dt.datetime | None:
    return next((e.at for e in events if e.action in names), None)


def progress(petition: Petition, today: dt.date | None = None) -> Progress:
    today = today or timezone.localdate()
    case = leading_case(petition)
    case_ids = list(Case.objects.filter(petition=petition).values_list("pk", flat=True))
    events = list(
        Event.objects.filter(case_id__in=case_ids, action__in=PUBLIC_STEPS).select_related("organ").order_by("seq")
    )
    result = Progress(
        petition=petition,
        case=case,
        stage=STAGES.get(State(case.state), State(case.state).label),
        organ=case.acting_organ.name,
        steps=[(e.at, PUBLIC_STEPS[e.action], _step_organ(e)) for e in events],
    )
    clocks = Clock.objects.filter(case_id__in=case_ids, status__in=["running", "paused"]).exclude(
        rule__in=INTERNAL_CLOCKS
    )
    for clock in clocks.select_related("organ").order_by("legal_last_day"):
        over = (today - clock.legal_last_day).days if clock.status == "running" else 0
        result.clocks.append(
            ClockLine(
                words=CLOCK_WORDS.get(clock.rule, clock.title),
                last_day=clock.legal_last_day,
                organ=clock.organ.name,
                petitioner=clock.party == "petitioner",
                overdue_days=max(0, over),
                status=clock.status,
                provisional=clock.provisional,
            )
        )
    result.documents = list(served_documents(petition))
    result.ratings = {r.aspect: r for r in Rating.objects.filter(petition=petition)}
    result.ratable = {
        Aspect.ACCEPTANCE: _first(events, ("accept", "not_accept", "not_reaccept", "refer_out", "divert")),
        Aspect.RESULT: _first(events, ("serve_opinion", "conclude_suggestion", "conclude_accusation")),
    }
    result.request = open_request(case, today)
    return result


def rating_deadline(opened_at: dt.datetime) -> dt.date:
    return timezone.localdate(opened_at + dt.timedelta(days=settings.XINFANG_RATING_WINDOW_DAYS))


def open_request(case: Case, today: dt.date) -> dict[str, Any] | None:
    """The review or re-review the petitioner may request now: its last day and the organ that receives it."""
    if case.state == State.OPINION_DELIVERED:
        name, rule = "request_review", "review_request"
    elif case.state == State.REVIEW_DELIVERED:
        name, rule = "request_re_review", "re_review_request"
    else:
        return None
    organ = acting_organ_for(case, BY_NAME[name])
    clock = case.clocks.filter(rule=rule).order_by("-pk").first()
    if clock is None or organ is None:
        return None
    return {
        "name": name,
        "label": "请求复查" if name == "request_review" else "请求复核",
        "word": "复查" if name == "request_review" else "复核",
        "last_day": clock.legal_last_day,
        "organ": organ.name,
        "late": today > clock.legal_last_day,
        "provisional": clock.provisional,
        "basis": clock.basis,
    }


def served_documents(petition: Petition) -> QuerySet[Document]:
    """Documents addressed to the petitioner that have been served (公告 included); never drafts."""
    addressed = [k.id for k in default_document_kinds().values() if k.versions[-1].addressee == "petitioner"]
    return (
        Document.objects.filter(case__petition=petition, status=Status.SERVED, kind__in=addressed)
        .select_related("organ", "service")
        .defer("pdf", "docx", "service__proof")
        .order_by("issued_at")
    )


def published_organs() -> QuerySet[Organ]:
    """Organs with a published channel (Art. 18(1)): address, telephone, reception hours or web."""
    return (
        Organ.objects.exclude(address="", telephone="", hours="", web="")
        .exclude(level=Level.VILLAGE)
        .select_related("superior")
        .order_by("region_code", "path")
    )


def hearing_results() -> QuerySet[HearingResult]:
    return HearingResult.objects.select_related("organ")


def open_follow_ups(staff: Any) -> list[FollowUp]:
    """Follow-ups the staff member's organ still owes, oldest first."""
    return list(
        FollowUp.objects.filter(organ=staff.organ, recorded_at__isnull=True)
        .select_related("rating__petition", "rating__case")
        .order_by("created_at")
    )


def recent_follow_ups(staff: Any, limit: int = 20) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(organ=staff.organ, recorded_at__isnull=False)
        .select_related("rating__petition", "recorded_by")
        .order_by("-recorded_at")[:limit]
    )
