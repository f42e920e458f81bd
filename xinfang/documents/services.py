"""Writes for written notices. Each is one transaction with its event; serving moves the case on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.audit.chain import sm3_hex
from xinfang.audit.services import record_event
from xinfang.intake.models import Category
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.selectors import receipt_notice_owed
from xinfang.lifecycle.table import BY_NAME
from xinfang.org.models import Role, Staff
from xinfang.rules import all_period_words, period_words
from xinfang.rules.documents import DocumentKind, KindVersion, default_document_kinds, refusal

from .layout import DocumentLayout, Section
from .models import OVERSIGHT_KINDS, Document, DocumentCounter, Service, ServiceMethod, Status

DRAFTERS = (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.HANDLER, Role.APPROVER)
# Kinds that other roles also write: the 预警提示函 is the analysts' (analysing petition trends, Art. 14 ¶1(4));
# an oversight letter (OVERSIGHT_KINDS: 督办函, 建议书) also the bureau's supervisors (督查员).
KIND_DRAFTERS = {"warning_notice": (Role.ANALYST,)} | {kind: (Role.SUPERVISOR,) for kind in OVERSIGHT_KINDS}


def drafters(kind_id: str) -> tuple[str, ...]:
    """Who may write a kind: the drafting roles, and the roles KIND_DRAFTERS adds for it."""
    return DRAFTERS + KIND_DRAFTERS.get(kind_id, ())


# Serving these kinds is the lifecycle step the law ties to receipt of the written answer: the petitioner's
# review window (Art. 35) and re-review window (Art. 36(1)) run from the served date.
SERVICE_TRANSITIONS = {"handling_opinion": "serve_opinion", "review_opinion": "decide_review"}
# Issuing a 复核意见书 is the re-review organ "提出复核意见" (Art. 36(1)); the matter is final from then.
# Issuing a 延期告知书 is the extension its approver signed (Art. 34: "经本机关、单位负责人批准").
# Issuing a 调解协议书 or 和解协议书 the parties signed is the settlement (Art. 33: "应当制作调解协议书或者和解协议书").
ISSUE_TRANSITIONS = {
    "re_review_opinion": "issue_re_review_opinion",
    "extension_notice": "extend",
    "mediation_agreement": "settle",
    "settlement_agreement": "settle",
}


def notice_on_record(case: Any, kind_id: str, document_id: Any) -> str | None:
    """The lifecycle's notice check (`lifecycle.notices`): is ``document_id`` an issued notice of ``kind_id``?"""
    document = Document.objects.filter(pk=document_id, case=case).first() if str(document_id).isdigit() else None
    if document is None:
        return "本案没有这份文书"
    if document.status not in (Status.ISSUED, Status.SERVED):
        return f"{kind(document.kind).title}尚未印发"
    if document.kind != kind_id and kind_id not in version_of(document).serves_notice:
        return f"{kind(document.kind).title}不是所需的文书"
    return None


def _from_notice(document: Document, transition: str) -> dict[str, Any]:
    """The fields the table row says this notice supplies to its step (`Transition.from_notice`)."""
    return {field: document.content.get(item, "") for field, item in BY_NAME[transition].from_notice}


def _issue_payload(document: Document, transition: str) -> tuple[Staff | None, dict[str, Any]]:
    """Who performs the step an issued document carries, and with what."""
    content = document.content
    if document.kind == "extension_notice":
        days = str(content.get("days", "")).strip()
        if not days.isdigit() or int(days) < 1:
            raise DocumentRefused("「延长天数」须填写正整数（《信访工作条例》第三十四条）")
        payload = {"reason": content.get("reason", ""), "days": int(days), "document": document.pk}
        return document.approved_by, payload
    return None, {**_from_notice(document, transition), "document": document.pk}


# How a case of each category is handled, for the 受理告知书 (Art. 23(2): "处理途径和程序"); {handling}-style
# placeholders take the periods from the rule files for the organ's region.
ROUTE: dict[str, str] = {
    Category.GRIEVANCE: "本机关将自受理之日起{handling}内办结，调查核实后出具书面处理意见；情况复杂的，"
    "经本机关负责人批准可以适当延长办理期限，并告知延期理由（《信访工作条例》第三十二条、第三十四条）。",
    Category.SUGGESTION: "本机关将认真研究论证，并将采纳情况书面答复（《信访工作条例》第二十九条第一款）。",
    Category.ACCUSATION: "本机关将依规依纪依法办理，并对检举控告人的信息严格保密（《信访工作条例》第三十条第一款）。",
}


class DocumentRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def kind(kind_id: str) -> DocumentKind:
    try:
        return default_document_kinds()[kind_id]
    except KeyError:
        raise DocumentRefused(f"没有这种文书：{kind_id}") from None


def version_of(document: Document) -> KindVersion:
    return next(v for v in kind(document.kind).versions if v.version == document.version)


def _require_staff(actor: Staff, document: Document, roles: tuple[str, ...], what: str) -> None:
    if actor.organ_id != document.organ_id:
        raise DocumentRefused(f"只有{document.organ.name}的工作人员可以{what}")
    if not actor.has_role(*roles):
        names = "、".join(Role(r).label for r in roles)
        raise DocumentRefused(f"只有{names}可以{what}")


def _event(document: Document, action: str, actor: Staff, now: dt.datetime, **payload: Any) -> None:
    version = version_of(document)
    record_event(
        action=action,
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=document.organ,
        case_id=document.case_id,
        petition_id=document.case.petition_id,
        basis="；".join(dict.fromkeys(i.citation.short() for i in version.items)),
        payload={"document": document.pk, "kind": document.kind, **payload},
    )


def draft_content(case: Any, version: KindVersion) -> dict[str, str]:
    """Fill what the case already says; the handler completes and edits the rest."""
    petition = case.petition
    known = {
        "request": petition.request,
        "facts_and_reasons": "\n\n".join(filter(None, [petition.facts, petition.reasons])),
        "outcome": {"upheld": "支持", "explained": "解释说明", "not_upheld": "不予支持"}.get(case.outcome, ""),
    }
    region = case.organ.region_code
    review_organ = case.review_organ or case.organ.review_superior()
    if review_organ is not None:
        known["review_right"] = (
            f"信访人对本处理意见不服的，可以自收到本意见书之日起{period_words('review_request', region)}内，"
            f"向{review_organ.name}请求复查。"
        )
    re_review_organ = case.re_review_organ or (review_organ.review_superior() if review_organ else None)
    if re_review_organ is not None:
        known["re_review_right"] = (
            f"信访人对本复查意见不服的，可以自收到本意见书之日起{period_words('re_review_request', region)}内，"
            f"向{re_review_organ.name}请求复核。"
        )
    # 《信访工作条例》第三十六条第三款, as the 2022 text reads.
    known["finality"] = (
        "信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，各级党委和政府信访部门和其他机关、单位不再受理。"
    )
    known["receipt"] = f"你（单位）的信访事项已于{timezone.localtime(petition.received_at):%Y年%-m月%-d日}收到。"
    known["destination"] = known["receiving_organ"] = known["competent_organ"] = ""
    known["route"] = ROUTE.get(case.category, "").format(**all_period_words(region))
    organ = case.acting_organ  # the organ's published channels (Art. 18(1))
    known["contact"] = f"{organ.name}，地址：{organ.address}，电话：{organ.telephone}，接待时间：{organ.hours}。"
    known["petition_summary"] = petition.request
    return {item.key: known.get(item.key, "") for item in version.items}


@transaction.atomic
def draft(case: Any, kind_id: str, actor: Staff, *, now: dt.datetime | None = None) -> Document:
    """Draft on the case for the organ now acting on it; an oversight letter for the drafter's own bureau."""
    now = now or timezone.now()
    version = kind(kind_id).version_on(timezone.localdate(now))
    document = Document(
        case=case,
        # the organ now acting (the review or re-review organ at those stages); the bureau for its letters
        organ=actor.organ if kind_id in OVERSIGHT_KINDS else case.acting_organ,
        kind=kind_id,
        version=version.version,
        drafted_by=actor,
        created_at=now,
        content=draft_content(case, version),
    )
    _require_staff(actor, document, drafters(document.kind), "起草文书")
    document.save()
    _event(document, "draft_document", actor, now)
    return document


@transaction.atomic
def update(document: Document, content: dict[str, str], actor: Staff, *, now: dt.datetime | None = None) -> Document:
    now = now or timezone.now()
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status not in (Status.DRAFT, Status.APPROVED):
        raise DocumentRefused("已印发的文书不能修改")
    _require_staff(actor, document, drafters(document.kind), "修改文书")
    keys = {item.key for item in version_of(document).items}
    document.content = {**document.content, **{k: v for k, v in content.items() if k in keys}}
    document.status = Status.DRAFT  # an edit after approval needs approval again
    document.approved_by, document.approved_at = None, None
    document.save()
    _event(document, "update_document", actor, now)
    return document


@transaction.atomic
def approve(document: Document, actor: Staff, *, now: dt.datetime | None = None) -> Document:
    now = now or timezone.now()
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_staff(actor, document, (Role.APPROVER,), "审核签发文书")
    if document.status != Status.DRAFT:
        raise DocumentRefused("只有草稿需要审核")
    problem = refusal(version_of(document), document.content)
    if problem:
        raise DocumentRefused(f"不能审核：{problem}")
    document.status, document.approved_by, document.approved_at = Status.APPROVED, actor, now
    document.save()
    _event(document, "approve_document", actor, now)
    return document


def layout_for(document: Document, issued_on: dt.date) -> DocumentLayout:
    version = version_of(document)
    petition = document.case.petition
    case, content = document.case, document.content
    if version.addressee == "petitioner":
        recipient = petition.name or "信访人"
    else:  # the receiving or assigned organ; otherwise the organ that sent the case here
        named = str(content.get("receiving_organ") or content.get("assignee") or "").strip()
        recipient = named or (case.parent.organ.name if case.parent is not None else case.organ.name)
    return DocumentLayout(
        title=kind(document.kind).title,
        number=document.number,
        issuing_organ=document.organ.name,
        recipient=recipient,
        issued_on=issued_on,
        sections=tuple(
            Section(item.label, str(document.content.get(item.key, "")).strip())
            for item in version.items
            if str(document.content.get(item.key, "")).strip()
        ),
    )


def _take_number(document: Document, year: int) -> int:
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(organ=document.organ, kind=document.kind, year=year)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(organ=document.organ, kind=document.kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def issue(document: Document, actor: Staff, *, now: dt.datetime | None = None) -> Document:
    """Number, render and issue. Refused while a required item is missing, or before the approver signs."""
    from .render_docx import render_docx
    from .render_pdf import render_pdf

    now = now or timezone.now()
    document = Document.objects.select_for_update().select_related("organ", "case__petition").get(pk=document.pk)
    _require_staff(actor, document, drafters(document.kind), "印发文书")
    version = version_of(document)
    if document.status not in (Status.DRAFT, Status.APPROVED):
        raise DocumentRefused("该文书已经印发")
    problem = refusal(version, document.content)
    if problem:
        raise DocumentRefused(f"不能印发：{problem}")
    if version.approval_required and document.status != Status.APPROVED:
        raise DocumentRefused("该文书须经本机关负责人审核签发（办理审核）后才能印发")
    today = timezone.localdate(now)
    document.year = today.year
    document.serial = _take_number(document, today.year)
    # 发文字号: 发文机关代字、年份、发文顺序号 (GB/T 9704-2012 7.2.4); the organ's code keeps numbers apart.
    document.number = f"{document.organ.document_code}{version.number_code}〔{today.year}〕{document.serial}号"
    layout = layout_for(document, today)
    document.pdf, document.docx = render_pdf(layout), render_docx(layout)
    document.pdf_sm3, document.docx_sm3 = sm3_hex(bytes(document.pdf)), sm3_hex(bytes(document.docx))
    document.status, document.issued_by, document.issued_at = Status.ISSUED, actor, now
    document.save()
    transition = ISSUE_TRANSITIONS.get(document.kind)
    if transition:
        approver, payload = _issue_payload(document, transition)
        try:
            perform(document.case, transition, approver or actor, payload, now=now)
        except Refused as refused:
            raise DocumentRefused(f"不能印发：{refused.message}") from refused
    _event(
        document,
        "issue_document",
        actor,
        now,
        number=document.number,
        pdf_sm3=document.pdf_sm3,
        docx_sm3=document.docx_sm3,
    )
    return document


@transaction.atomic
def serve(
    document: Document,
    actor: Staff,
    *,
    method: str,
    served_on: dt.date | None = None,
    tracking_number: str = "",
    proof: bytes | None = None,
    proof_name: str = "",
    exempt_reason: str = "",
    now: dt.datetime | None = None,
) -> Service:
    """Record service; serving starts the petitioner's windows from the served date (Art. 35, 36)."""
    now = now or timezone.now()
    document = Document.objects.select_for_update().select_related("case__petition", "organ").get(pk=document.pk)
    _require_staff(actor, document, drafters(document.kind), "登记送达")
    if document.status != Status.ISSUED:
        raise DocumentRefused("只有已印发、尚未送达的文书可以登记送达")
    if method not in ServiceMethod.values:
        raise DocumentRefused("「送达方式」须为当面、邮寄、电子送达、公告或免于送达")
    if method == ServiceMethod.EXEMPT:
        if not document.case.petition.notice_exempt or not exempt_reason.strip():
            raise DocumentRefused(
                "只有信访人姓名（名称）、住址不清的，才可免于书面告知，并须写明理由（《信访工作条例》第二十三条第二款）"
            )
    else:
        if served_on is None or served_on > timezone.localdate(now):
            raise DocumentRefused("请填写「送达日期」，且不能晚于今天")
        if method == ServiceMethod.POST and not tracking_number.strip():
            raise DocumentRefused("邮寄送达须填写「邮件单号」")
    service = Service.objects.create(
        document=document,
        method=method,
        tracking_number=tracking_number.strip(),
        served_on=served_on,
        served_by=actor,
        proof=proof,
        proof_name=proof_name,
        proof_sm3=sm3_hex(proof) if proof else "",
        exempt_reason=exempt_reason.strip(),
        recorded_at=now,
    )
    document.status = Status.SERVED
    document.save(update_fields=["status"])
    _event(
        document,
        "serve_document",
        actor,
        now,
        method=method,
        served_on=served_on,
        tracking_number=tracking_number,
        proof_sm3=service.proof_sm3,
    )
    _perform_service_step(document, actor, served_on, method, exempt_reason, now)
    return service


def _perform_service_step(
    document: Document, actor: Staff, served_on: dt.date | None, method: str, exempt_reason: str, now: dt.datetime
) -> None:
    """Tell the lifecycle what serving this notice did: the answer served, or the receipt notice given."""
    payload: dict[str, Any] = {"served_on": served_on or timezone.localdate(now), "document": document.pk}
    payload["method"] = ServiceMethod(method).label
    if exempt_reason.strip():
        payload["exemption"] = exempt_reason.strip()
    transition = SERVICE_TRANSITIONS.get(document.kind)
    if transition:
        payload |= _from_notice(document, transition)
    if transition is None and "receipt_notice" in version_of(document).serves_notice:
        transition = "record_notice" if receipt_notice_owed(document.case) else None
    if transition:
        perform(document.case, transition, actor, payload, now=now)
