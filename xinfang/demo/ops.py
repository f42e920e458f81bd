"""The operations a scenario step names. Each is a generator: it yields the moment it acts, then acts
through the real engine (`register_petition`, `perform`) as the staff member whose job it is.

Written answers go through `documents.services`: the handler drafts the 处理意见书 (复查意见书, 复核意见书), the
organ's approver signs it, the handler issues it and records its service, and serving it (issuing, for the
复核意见书) is what moves the case. At the showcase organ the written receipt notice is a document too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from xinfang.documents.models import Document, ServiceMethod, Status
from xinfang.intake.models import Category, Channel
from xinfang.intake.services import register_petition
from xinfang.leaders.services import take_case
from xinfang.lifecycle.models import Case, ClockStatus
from xinfang.org.models import Organ, Staff
from xinfang.org.models import Role as R

from . import mediation
from .plan import organ_for

if TYPE_CHECKING:
    from .director import Director
    from .plan import Story

from .steps import (
    OPINION_REASONS,
    SERVICE,
    SUPERVISION_WORKING_DAYS,
    Op,
    _bureau_case,
    _case,
    _day,
    _deliver,
    _input,
    _period,
    _prepare,
    _soon,
    _text,
)

# --- registration and routing -------------------------------------------------------------------


def register(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    organ = s.registers_at
    actor = None if s.channel == Channel.ONLINE else d.who(organ, R.REGISTRAR)
    data = _input(s)
    # A letter or fax is registered a little after it arrives; the clocks count from its arrival.
    delay = s.rng.randint(30, 150) if s.channel in (Channel.LETTER, Channel.FAX) and t.hour >= 11 else 0
    data.received_at = t - dt.timedelta(minutes=delay)
    s.case = register_petition(data, organ=organ, actor=actor, now=t)
    if organ.is_petition_bureau:
        s.bureau_case = s.case
    d.registered(s)


def triage(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    payload: dict[str, Any] = {"category": s.template.category}
    if s.accused is not None and case.petition.accused_organ_id is None:
        payload["accused_organ"] = s.accused.pk
    s.case = d.act(case, "triage", d.who(case.organ, R.TRIAGE_OFFICER), t, **payload)


def _route(name: str, target: Callable[[Story], Organ | None], **extra: Any) -> Op:
    def op(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
        yield t
        parent, organ = _bureau_case(s), target(s)
        assert organ is not None
        payload = {"target_organ": organ, **extra}
        if name == "assign":
            payload["days"] = s.scenario.assign_days
        s.bureau_case = d.act(parent, name, d.who(parent.organ, R.TRIAGE_OFFICER), t, **payload)
        s.case = d.child(s.bureau_case, organ)

    return op


def escalate(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    report = (
        f"{_text(s, s.template.summary)}，来访群众{s.headcount or '多'}人，诉求集中、情绪激动，"
        f"涉及面广，建议报请{s.place.county}党委和政府研究决定，明确牵头单位。"
    )
    s.case = s.bureau_case = d.act(case, "escalate", d.who(case.organ, R.TRIAGE_OFFICER), t, report=report)


def object_(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    right = s.dept.name if case.organ_id != s.dept.pk else "其他有关部门"
    reasons = f"经研究，该事项属于{right}的职责范围，不属于本机关职权范围，请予收回重新分办。"
    s.case = d.act(case, "object", d.who(case.organ, R.TRIAGE_OFFICER), t, reasons=reasons)


def approve_objection(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    d.act(_case(s), "approve_objection", d.who(_bureau_case(s).organ, R.TRIAGE_OFFICER), t)
    s.case = s.bureau_case = d.reload(_bureau_case(s))


def reject_objection(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    reasons = "经核实，该事项属于贵单位法定职责范围，异议理由不成立，请依法受理办理。"
    s.case = d.act(_case(s), "reject_objection", d.who(_bureau_case(s).organ, R.TRIAGE_OFFICER), t, reasons=reasons)


# --- at the handling organ ----------------------------------------------------------------------


def _notice(
    d: Director, s: Story, t: dt.datetime, kind: str = "receipt_notice", **content: str
) -> Iterator[dt.datetime]:
    """The written notice (Art. 23): a document, issued and served (serving it meets the receipt-notice clock).
    A written referral is issued even when the referral itself already met the clock."""
    yield t
    case = _case(s)
    owed = case.clocks.filter(rule="receipt_notice", status=ClockStatus.RUNNING).exists()
    if not owed and kind == "receipt_notice":
        return
    defaults = {
        "receipt": f"你的信访事项已于{_day(case.received_at)}收到，本机关已依法受理。",
    }
    document = yield from _prepare(d, case, kind, content, t, defaults=defaults, role=R.REGISTRAR)
    method = SERVICE.get(Channel(s.channel), ServiceMethod.POST)
    s.case = _deliver(d, s, document, method, document.issued_at or t, role=R.REGISTRAR)


def accept(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    s.case = d.act(case, "accept", d.who(case.organ, R.TRIAGE_OFFICER), t)
    yield from _notice(d, s, _soon(s, t))


def accept_quiet(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    s.case = d.act(case, "accept", d.who(case.organ, R.TRIAGE_OFFICER), t)


def notice(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield from _notice(d, s, t)


def refer_out(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    assert s.template.refer is not None
    key, guidance = s.template.refer
    competent = organ_for(d.city, key, s.place).name if key.isascii() else key
    s.case = d.act(
        case,
        "refer_out",
        d.who(case.organ, R.TRIAGE_OFFICER),
        t,
        competent_organ=competent,
        guidance=_text(s, guidance),
    )
    # The written referral is the written notice.
    yield from _notice(d, s, _soon(s, t), "referral_notice", competent_organ=f"{competent}。{_text(s, guidance)}")


def _simple(name: str, role: str, **payload: Any) -> Op:
    def op(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
        yield t
        case = _case(s)
        values = {key: _text(s, value) if isinstance(value, str) else value for key, value in payload.items()}
        s.case = d.act(case, name, d.who(case.organ, role), t, **values)

    return op


def _from_template(name: str, role: str, field: str, attribute: str) -> Op:
    def op(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
        yield t
        case = _case(s)
        s.case = d.act(case, name, d.who(case.organ, role), t, **{field: _text(s, getattr(s.template, attribute))})

    return op


def sugg_conclude(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    reply = _text(s, s.template.reply)
    s.case = d.act(
        case, "conclude_suggestion", d.who(case.organ, R.HANDLER), t, adoption=s.template.adoption, reply=reply
    )


def divert(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    assert s.template.divert is not None
    target, guidance = s.template.divert
    s.case = d.act(
        case, "divert", d.who(case.organ, R.HANDLER), t, target_procedure=target, guidance=_text(s, guidance)
    )


def extend(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    """The 延期告知书: the head approves it, and issuing it is the extension (Art. 34); then it is served."""
    case = _case(s)
    reason = s.rng.choice(
        (
            "案情复杂，涉及多个部门，需进一步调取历史档案并组织现场勘查。",
            "需委托第三方机构进行测绘和评估，评估报告尚未出具。",
            "涉及人数较多，需逐户核实情况。",
        )
    )
    days = s.rng.choice((20, 30, 30))
    content = {
        "request": case.petition.request,
        "reason": reason,
        "days": str(days),
        "new_deadline": f"办理期限自原期满之日起延长{days}日。",
        "approval": f"经本机关负责人于{_day(t)}批准。",
    }
    document = yield from _prepare(d, case, "extension_notice", content, t)
    s.case = _deliver(d, s, document, SERVICE.get(Channel(s.channel), ServiceMethod.POST), document.issued_at or t)


OUTCOME_ITEM = {"upheld": "第一项", "explained": "第二项", "not_upheld": "第三项"}  # Art. 32(1)


def _basis(s: Story) -> str:
    return s.template.basis or "《信访工作条例》第三十二条"


def _issued(case: Case, kind: str) -> Document:
    return Document.objects.filter(case=case, kind=kind, status=Status.ISSUED).latest("pk")


def _before(t: dt.datetime, days: int) -> dt.datetime:
    """``days`` before ``t``, moved back to a weekday: when a written answer is signed and sent."""
    earlier = t - dt.timedelta(days=days)
    while earlier.weekday() >= 5:
        earlier -= dt.timedelta(days=1)
    return earlier.replace(hour=10, minute=0)


def opinion(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case, template = _case(s), s.template
    dissatisfied = any(op in ("review", "repeat_pending") for op, _ in s.steps)
    if dissatisfied:
        outcome = s.rng.choice(("explained", "not_upheld"))
    elif template.remedy:
        outcome = s.rng.choices(("upheld", "explained", "not_upheld"), (5, 3, 2))[0]
    else:
        outcome = s.rng.choice(("explained", "not_upheld"))
    reasons = OPINION_REASONS[outcome] + (_text(s, template.remedy) if outcome == "upheld" else "")
    facts = _text(s, template.finding)
    s.case = d.act(
        case,
        "issue_opinion",
        d.who(case.organ, R.HANDLER),
        t,
        outcome=outcome,
        facts=facts,
        reasons=reasons,
        legal_basis=_basis(s),
    )
    # The 处理意见书: drafted from the case, signed by the organ's approver and issued; served in the next step.
    content = {
        "facts_and_reasons": facts,
        "opinion": reasons,
        "legal_basis": f"{_basis(s)}；《信访工作条例》第三十二条第一款{OUTCOME_ITEM[outcome]}",
    }
    defaults = {
        "review_right": "信访人对本处理意见不服的，可以自收到本意见书之日起"
        f"{_period('review_request', case.organ, t)}内，向本机关的上一级机关请求复查。"
    }
    yield from _prepare(d, s.case, "handling_opinion", content, t + dt.timedelta(minutes=10), defaults=defaults)


def serve(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    if s.channel == Channel.VISIT:
        method = ServiceMethod.IN_PERSON
    elif s.channel == Channel.ONLINE:
        method = s.rng.choice((ServiceMethod.ELECTRONIC, ServiceMethod.POST))
    else:
        method = s.rng.choice((ServiceMethod.POST, ServiceMethod.IN_PERSON))
    s.case = _deliver(d, s, _issued(case, "handling_opinion"), method, t)


# --- review and re-review -----------------------------------------------------------------------


def review(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    superior = case.organ.superior
    assert superior is not None
    s.case = d.act(case, "request_review", d.who(superior, R.REGISTRAR), t, received_on=t.date())


def review_decide(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    """The review organ signs and sends its 复查意见书 two days before it is served; serving it is the decision."""
    case = _case(s)
    content = {
        "request": f"信访人不服{case.organ.name}作出的处理意见，请求复查。原投诉请求：{case.petition.request}",
        "facts_and_reasons": f"经复查，{case.organ.name}认定的事实清楚、证据充分：{_text(s, s.template.finding)}",
        "opinion": "经复查，原处理意见认定事实清楚，适用依据正确，处理恰当，予以维持。",
        "changed": "否",
        "legal_basis": f"{_basis(s)}；《信访工作条例》第三十五条",
    }
    defaults = {
        "re_review_right": "信访人对本复查意见不服的，可以自收到本意见书之日起"
        f"{_period('re_review_request', case.acting_organ, t)}内，"
        f"向{case.acting_organ.name}的上一级机关请求复核。"
    }
    document = yield from _prepare(d, case, "review_opinion", content, _before(t, 2), defaults=defaults)
    yield t
    s.case = _deliver(d, s, document, SERVICE.get(Channel(s.channel), ServiceMethod.POST), t)


def final(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    """Issuing the 复核意见书 is the re-review opinion: the matter is final (Art. 36)."""
    case = _case(s)
    review_organ = case.review_organ
    assert review_organ is not None
    content = {
        "request": f"信访人不服{review_organ.name}作出的复查意见，请求复核。原投诉请求：{case.petition.request}",
        "facts_and_reasons": f"经复核，原处理意见和复查意见认定的事实清楚：{_text(s, s.template.finding)}",
        "opinion": "经复核，原处理意见和复查意见认定事实清楚、处理恰当，予以维持。本意见为复核终结意见。",
        "changed": "否",
        "legal_basis": f"{_basis(s)}；《信访工作条例》第三十六条第一款",
    }
    document = yield from _prepare(d, case, "re_review_opinion", content, t)
    s.case = d.reload(document.case)


def re_review(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    organ = case.review_organ.superior  # type: ignore[union-attr]
    s.case = d.act(case, "request_re_review", d.who(organ, R.REGISTRAR), t, received_on=t.date())


def _at_re_review(name: str, **payload: Any) -> Op:
    def op(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
        yield t
        case = _case(s)
        s.case = d.act(case, name, d.who(case.re_review_organ, R.HANDLER), t, **payload)

    return op


def _repeat(final: bool) -> Op:
    """The petitioner comes back to the city bureau about the same matter."""

    def op(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
        yield t
        bureau = d.city["city.bureau"]
        channel = s.rng.choice((Channel.VISIT, Channel.LETTER))
        note = "对处理、复查和复核意见都不服" if final else "至今没有结果"
        data = _input(s, repeat_of=_case(s).matter_id, channel=channel, note=note)
        data.received_at = t
        repeat = register_petition(data, organ=bureau, actor=d.who(bureau, R.REGISTRAR), now=t)
        d.registered(s)
        triage_officer = d.who(bureau, R.TRIAGE_OFFICER)
        t = _soon(s, t)
        yield t
        repeat = d.act(repeat, "triage", triage_officer, t, category=Category.GRIEVANCE)
        t = _soon(s, t)
        yield t
        if final:
            guidance = "该事项已经复核终结，以同一事实和理由再次提出，不再受理；已向信访人做好解释和疏导教育工作。"
            d.act(repeat, "not_reaccept", triage_officer, t, same_facts_confirmed=True, guidance=guidance)
        else:
            reason = f"该事项{s.dept.name}已受理并正在办理，已告知信访人等待办理结果。"
            d.act(repeat, "not_accept", triage_officer, t, reason=reason)

    return op


# --- assignment reports, supervision, leaders ---------------------------------------------------


def report(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    parent, case = _bureau_case(s), _case(s)
    text = (
        f"{case.organ.name}关于“{_text(s, s.template.summary)}”的办结报告："
        "已调查核实并答复信访人，信访人对办理情况表示知晓。"
    )
    s.bureau_case = d.act(parent, "submit_completion_report", d.who(case.organ, R.HANDLER), t, report=text)


def report_accept(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    parent = _bureau_case(s)
    s.bureau_case = d.act(parent, "accept_completion_report", d.who(parent.organ, R.TRIAGE_OFFICER), t)


def report_reject(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    parent = _bureau_case(s)
    reason = "办结报告未附信访人意见和送达凭证，请补充后重新报送。"
    s.bureau_case = d.act(
        parent, "reject_completion_report", d.who(parent.organ, R.TRIAGE_OFFICER), t, reason=reason, days=10
    )


def _supervise(parent: bool) -> Op:
    def op(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
        yield t
        case = _bureau_case(s) if parent else _case(s)
        instruction = (
            f"该事项已超过规定期限，请于{SUPERVISION_WORKING_DAYS}个工作日内办结并报送办理结果，逾期将予以通报。"
        )
        updated = d.act(case, "supervise", d.account("supervisor"), t, instruction=instruction)
        if parent:
            s.bureau_case = updated
        else:
            s.case = updated

    return op


def leader_case(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    superior = case.organ.superior
    assert superior is not None
    leader: Staff = d.who(superior, R.LEADER)
    # Through the leaders app: the engine's take_leader_case and the plan, in one transaction.
    plan = "约见信访人听取诉求\n督促办理机关依法办理"
    take_case(case, leader, steps=plan, target_date=t.date() + dt.timedelta(weeks=4), now=t)
    s.case = d.reload(case)


OPS: dict[str, Op] = {
    "register": register,
    "triage": triage,
    "transfer": _route("transfer", lambda s: s.dept),
    "transfer_wrong": _route("transfer", lambda s: s.wrong),
    "assign": _route("assign", lambda s: s.dept),
    "route_pl": _route("route_political_legal", lambda s: s.dept),
    "route_disc": _route("route_discipline", lambda s: s.dept),
    "escalate": escalate,
    "object": object_,
    "approve_objection": approve_objection,
    "reject_objection": reject_objection,
    "accept": accept,
    "accept_quiet": accept_quiet,
    "notice": notice,
    "refer_out": refer_out,
    "divert": divert,
    "duty": _simple("perform_duty", R.HANDLER),
    "duty_done": _from_template("complete_duty", R.HANDLER, "result", "duty"),
    "investigate": _simple("investigate", R.HANDLER),
    "extend": extend,
    "hearing": _simple("start_hearing", R.HANDLER),
    "hearing_end": _simple(
        "end_hearing", R.HANDLER, conclusion="听证员认为现有证据能够证明主要事实，建议在此基础上依法作出处理意见。"
    ),
    "mediation": mediation.refer,  # 访调对接 through the mediation app (demo/mediation.py)
    "settle": mediation.settle,
    "mediation_fail": mediation.fail,
    "opinion": opinion,
    "serve": serve,
    "review": review,
    "review_decide": review_decide,
    "re_review": re_review,
    "rr_hearing": _at_re_review("start_re_review_hearing"),
    "rr_hearing_end": _at_re_review(
        "end_re_review_hearing", conclusion="听证员一致认为原处理意见和复查意见认定事实清楚，处理恰当。"
    ),
    "final": final,
    "repeat_final": _repeat(final=True),
    "repeat_pending": _repeat(final=False),
    "sugg_review": _simple("start_suggestion_review", R.HANDLER),
    "sugg_conclude": sugg_conclude,
    "acc_handling": _simple("start_accusation_handling", R.HANDLER),
    "acc_conclude": _from_template("conclude_accusation", R.HANDLER, "result", "result"),
    "report": report,
    "report_accept": report_accept,
    "report_reject": report_reject,
    "supervise": _supervise(parent=False),
    "supervise_parent": _supervise(parent=True),
    "leader_case": leader_case,
}
