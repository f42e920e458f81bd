"""Writes of 访调对接 (《信访工作条例》第三十三条). One function per write, each in a transaction with its event.

The case moves only through `lifecycle.engine.perform`: referring performs `start_mediation` (with the consent
the guard asks for), issuing the agreement (a document of the documents app) performs `settle`, and a failed
mediation performs `end_mediation`, back to the handling state it left. The handling period keeps running
while the case is in mediation: Art. 33 excludes no time, unlike the hearing at re-review (Art. 36(2)); the
days spent are recorded with the end of the mediation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.intake.models import Category
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.permissions import refusal_for_actor
from xinfang.lifecycle.states import State
from xinfang.lifecycle.table import BY_NAME
from xinfang.org.models import Staff

from .models import (
    AGREEMENT_KIND,
    Consultation,
    LawyerDuty,
    LawyerOpinion,
    LegalChannel,
    MediationBody,
    Mediator,
    Mode,
    Outcome,
    Referral,
    Session,
)

BASIS = "《信访工作条例》第三十三条"


class MediationRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any, label: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise MediationRefused(f"请填写「{label}」")
    return text


def _event(action: str, referral: Referral, actor: Staff, now: dt.datetime, **payload: Any) -> None:
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=referral.case_id,
        petition_id=referral.case.petition_id,
        basis=BASIS,
        payload={"referral": referral.pk, **payload},
    )


@transaction.atomic
def add_body(name: str, kind: str, organ: Any, *, address: str = "", telephone: str = "") -> MediationBody:
    return MediationBody.objects.create(
        name=_text(name, "名称"), kind=kind, organ=organ, address=address, telephone=telephone
    )


@transaction.atomic
def add_mediator(body: MediationBody, name: str, title: str = "") -> Mediator:
    return Mediator.objects.create(body=body, name=_text(name, "调解员姓名"), title=title)


@transaction.atomic
def refer(
    case: Case,
    actor: Staff,
    *,
    mode: str,
    other_party: str,
    consent: str,
    consent_on: dt.date | None,
    body: MediationBody | None = None,
    mediator: Mediator | None = None,
    now: dt.datetime | None = None,
) -> Referral:
    """Send a 申诉求决类 case to mediation (or guide the parties to settle) with both parties' consent."""
    now = now or timezone.now()
    if case.category != Category.GRIEVANCE:
        raise MediationRefused(f"只有申诉求决类事项可以调解、和解（{BASIS}）")
    if mode not in Mode.values:
        raise MediationRefused("「方式」须为调解或和解")
    other_party = _text(other_party, "对方当事人")
    consent = _text(consent, "当事人同意的情况")
    if consent_on is None or consent_on > timezone.localdate(now):
        raise MediationRefused("请填写「同意日期」，且不能晚于今天")
    if mode == Mode.MEDIATION and body is None:
        raise MediationRefused("调解须选择「调解组织」")
    if mediator is not None and mediator.body_id != getattr(body, "pk", None):
        raise MediationRefused("「调解员」须属于所选的调解组织")
    try:
        case = perform(case, "start_mediation", actor, {"consent": True}, now=now)
    except Refused as refused:
        raise MediationRefused(refused.message) from refused
    referral = Referral.objects.create(
        case=case,
        mode=mode,
        body=body if mode == Mode.MEDIATION else None,
        mediator=mediator if mode == Mode.MEDIATION else None,
        other_party=other_party,
        consent=consent,
        consent_on=consent_on,
        referred_by=actor,
        referred_at=now,
    )
    _event(
        "refer_to_mediation",
        referral,
        actor,
        now,
        mode=Mode(mode).label,
        body=body.name if body and mode == Mode.MEDIATION else "",
        consent=consent,
    )
    return referral


def _require_actor(referral: Referral, actor: Staff) -> None:
    """Whoever may act on the mediation step of the case (its handling organ's handlers and heads) records it."""
    problem = refusal_for_actor(actor, referral.case, BY_NAME["end_mediation"])
    if problem:
        raise MediationRefused(problem)


def _open(referral: Referral, actor: Staff) -> Referral:
    referral = Referral.objects.select_for_update(of=("self",)).select_related("case__petition").get(pk=referral.pk)
    _require_actor(referral, actor)
    if referral.outcome != Outcome.PENDING or referral.case.state != State.MEDIATION:
        raise MediationRefused("本次调解已经结束")
    return referral


@transaction.atomic
def record_session(
    referral: Referral,
    actor: Staff,
    *,
    held_on: dt.date | None,
    place: str,
    attendees: str,
    notes: str,
    now: dt.datetime | None = None,
) -> Session:
    now = now or timezone.now()
    referral = _open(referral, actor)
    if held_on is None or held_on > timezone.localdate(now) or held_on < timezone.localdate(referral.referred_at):
        raise MediationRefused("请填写「调解日期」：不早于移交调解之日，不晚于今天")
    session = Session.objects.create(
        referral=referral,
        held_on=held_on,
        place=_text(place, "地点"),
        attendees=_text(attendees, "参加人员"),
        notes=_text(notes, "调解情况"),
        recorded_by=actor,
        recorded_at=now,
    )
    _event("record_mediation_session", referral, actor, now, held_on=held_on, attendees=session.attendees)
    return session


def _prefill(referral: Referral) -> dict[str, str]:
    petition = referral.case.petition
    mediator = ""
    if referral.body is not None:
        who = f"，调解员{referral.mediator.name}" if referral.mediator else ""
        mediator = f"{referral.body.name}{who}"
    return {
        "parties": f"申请人（信访人）：{petition.name or '信访人'}；对方当事人：{referral.other_party}",
        "mediator": mediator,
        "dispute": petition.request,
    }


@transaction.atomic
def draft_agreement(referral: Referral, actor: Staff, *, now: dt.datetime | None = None) -> Document:
    """Draft the 调解协议书 (or 和解协议书) with what the referral knows; the handler completes it and issues it
    on the document page once the parties have signed. Issuing it settles the case (documents.ISSUE_TRANSITIONS)."""
    now = now or timezone.now()
    referral = _open(referral, actor)
    if referral.agreement is not None:
        return referral.agreement
    if not referral.sessions.exists() and referral.mode == Mode.MEDIATION:
        raise MediationRefused("请先登记调解记录，再起草调解协议书")
    try:
        document = documents.draft(referral.case, AGREEMENT_KIND[Mode(referral.mode)], actor, now=now)
        document = documents.update(document, _prefill(referral), actor, now=now)
    except documents.DocumentRefused as refused:
        raise MediationRefused(refused.message) from refused
    referral.agreement = document
    referral.save(update_fields=["agreement"])
    _event("draft_mediation_agreement", referral, actor, now, document=document.pk)
    return document


@transaction.atomic
def end_without_agreement(referral: Referral, actor: Staff, *, reason: str, now: dt.datetime | None = None) -> Referral:
    """The parties did not agree: the case returns to handling (`end_mediation`); the days spent are recorded."""
    now = now or timezone.now()
    referral = _open(referral, actor)
    reason = _text(reason, "未成原因")
    try:
        perform(referral.case, "end_mediation", actor, {}, now=now)
    except Refused as refused:
        raise MediationRefused(refused.message) from refused
    referral.outcome, referral.ended_at, referral.end_reason = Outcome.FAILED, now, reason
    referral.save(update_fields=["outcome", "ended_at", "end_reason"])
    days = (timezone.localdate(now) - timezone.localdate(referral.referred_at)).days
    _event("end_mediation_without_agreement", referral, actor, now, reason=reason, days_in_mediation=days)
    return referral


@transaction.atomic
def record_judicial_confirmation(
    referral: Referral,
    actor: Staff,
    *,
    court: str,
    confirmed_on: dt.date | None,
    number: str,
    now: dt.datetime | None = None,
) -> Referral:
    """司法确认 of a mediation agreement, as the court's ruling says (recorded, optional)."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update(of=("self",)).select_related("agreement", "case").get(pk=referral.pk)
    _require_actor(referral, actor)
    if referral.mode != Mode.MEDIATION or not referral.settled:
        raise MediationRefused("只有已印发的调解协议书可以登记司法确认")
    if referral.confirmed_on is not None:
        raise MediationRefused("已经登记过司法确认")
    if confirmed_on is None or confirmed_on > timezone.localdate(now):
        raise MediationRefused("请填写「司法确认日期」，且不能晚于今天")
    referral.confirmed_by_court = _text(court, "确认法院")
    referral.confirmation_number = _text(number, "司法确认裁定书文号")
    referral.confirmed_on = confirmed_on
    referral.save(update_fields=["confirmed_by_court", "confirmation_number", "confirmed_on"])
    _event(
        "record_judicial_confirmation",
        referral,
        actor,
        now,
        court=referral.confirmed_by_court,
        number=referral.confirmation_number,
    )
    return referral


# --- lawyers on duty --------------------------------------------------------------------------------

LAWYER_BASIS = "《信访工作条例》第五条第四项"  # 依法按政策解决问题: lawyers point to the legal channel
REVIEW_STATES = frozenset({State.REVIEW_REQUESTED, State.RE_REVIEW_REQUESTED, State.RE_REVIEW_HEARING})


def _lawyer_event(action: str, actor: Staff, now: dt.datetime, case: Case | None, **payload: Any) -> None:
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=case.pk if case else None,
        petition_id=case.petition_id if case else None,
        basis=LAWYER_BASIS,
        payload=payload,
    )


@transaction.atomic
def add_duty(organ: Any, *, lawyer: str, firm: str, place: str, starts_on: dt.date, ends_on: dt.date) -> LawyerDuty:
    if ends_on < starts_on:
        raise MediationRefused("「结束日期」不能早于「起始日期」")
    return LawyerDuty.objects.create(
        organ=organ,
        lawyer=_text(lawyer, "律师"),
        firm=_text(firm, "律师事务所"),
        place=_text(place, "值班地点"),
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def record_consultation(
    duty: LawyerDuty,
    actor: Staff,
    *,
    petitioner: str,
    question: str,
    advice: str,
    channel: str,
    headcount: int = 1,
    case: Case | None = None,
    now: dt.datetime | None = None,
) -> Consultation:
    """A consultation with the lawyer on duty, recorded by the staff of the organ where the lawyer sits."""
    now = now or timezone.now()
    if actor.organ_id != duty.organ_id:
        raise MediationRefused(f"只有{duty.organ.name}的工作人员可以登记本处律师值班的咨询")
    if not duty.starts_on <= timezone.localdate(now) <= duty.ends_on:
        raise MediationRefused(f"{duty.lawyer}律师的值班时间为{duty.starts_on}至{duty.ends_on}")
    if channel not in LegalChannel.values:
        raise MediationRefused("请选择「引导的法定途径」")
    if headcount < 1:
        raise MediationRefused("「人数」须为正整数")
    consultation = Consultation.objects.create(
        duty=duty,
        at=now,
        petitioner=_text(petitioner, "来访人"),
        headcount=headcount,
        question=_text(question, "咨询问题"),
        advice=_text(advice, "律师意见"),
        channel=channel,
        case=case,
        recorded_by=actor,
    )
    _lawyer_event(
        "record_lawyer_consultation", actor, now, case, lawyer=duty.lawyer, channel=LegalChannel(channel).label
    )
    return consultation


@transaction.atomic
def record_opinion(
    case: Case,
    duty: LawyerDuty,
    actor: Staff,
    *,
    opinion: str,
    given_on: dt.date | None,
    now: dt.datetime | None = None,
) -> LawyerOpinion:
    """A lawyer's written opinion attached to a review or re-review case, by the organ now reviewing it."""
    now = now or timezone.now()
    if case.state not in REVIEW_STATES:
        raise MediationRefused("律师法律意见只能附于复查或复核中的案件（《信访工作条例》第三十五条、第三十六条）")
    if actor.organ_id != case.acting_organ_id or not actor.has_role(*BY_NAME["end_mediation"].roles):
        raise MediationRefused(f"只有{case.acting_organ.name}的承办人、审批负责人或领导可以登记律师法律意见")
    if given_on is None or given_on > timezone.localdate(now):
        raise MediationRefused("请填写「出具日期」，且不能晚于今天")
    made = LawyerOpinion.objects.create(
        case=case, duty=duty, given_on=given_on, opinion=_text(opinion, "法律意见"), recorded_by=actor, recorded_at=now
    )
    _lawyer_event("record_lawyer_opinion", actor, now, case, lawyer=duty.lawyer, firm=duty.firm)
    return made
