"""The lifecycle as one table of allowed transitions (legal-rules §18.2).

Each row names, by keyword, its actor roles, the organ whose staff may act, its legal basis, the clocks it
starts and stops, and the code it runs: ``guards=(g.…)`` are functions in guards.py, ``effects=(h.…)`` and a
start's ``trigger``, ``bound`` and ``when`` are functions in hooks.py. `engine.perform` is the only code that
changes a case's state, and it does so only along these rows. The roadmap (路线图) is rendered from this same
table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xinfang.org.models import Role, region_prefix

from . import guards as g
from . import hooks as h
from .guards import Guard
from .hooks import Bound, Condition, Effect, Trigger
from .states import NON_TERMINAL, State

R = Role
ANY_STATE = frozenset(State)

# Special targets.
SAME = "same"  # the state does not change (flags, notices, reports)
RESUME = "resume"  # back to the state before a hearing or mediation


@dataclass(frozen=True)
class Start:
    """Start the clock of ``rule`` from the day ``trigger`` gives, if ``when`` holds (hooks.py)."""

    rule: str
    trigger: Trigger  # which date starts it
    bound: Bound = h.case_organ  # whose deadline: the organ of the case, the target, the review organ…
    when: Condition | None = None
    days_from: str = ""  # payload field giving the number of days (assignment, extension)


@dataclass(frozen=True)
class Stop:
    rule: str
    status: str = "met"  # met | cancelled | lapsed | extended


@dataclass(frozen=True)
class Transition:
    name: str  # glossary identifier
    label: str  # what the user sees
    code: str  # T-number in legal-rules §18.2
    sources: frozenset[State]
    target: str  # a State value, SAME or RESUME
    roles: frozenset[str]
    basis: str  # instrument and article
    actor_organ: str = "case"  # case | sender | superior | case_or_superior | review | re_review | assignee | system
    guards: tuple[Guard, ...] = ()  # guards.py, checked in order
    requires: tuple[str, ...] = ()  # payload fields that must be filled
    starts: tuple[Start, ...] = ()
    stops: tuple[Stop, ...] = ()
    pause: str = ""  # rule whose clock pauses
    resume: str = ""  # rule whose clock resumes
    effects: tuple[Effect, ...] = ()  # hooks.py: field changes written with the new state
    opens_case: bool = False  # open the target organ's case (engine.start_case) after the event
    then_parent: str = ""  # a transition performed on the sender's case in the same transaction
    step: str = ""  # plain-Chinese explanation for the public roadmap
    online: bool = False  # the petitioner may take this step on the portal (Art. 21(2))
    notice: str = ""  # the document kind that tells the petitioner: needed on record (notices.py)
    # Payload fields the notice document fills in when it performs this step: (field, item of its content).
    from_notice: tuple[tuple[str, str], ...] = ()
    regional_basis: tuple[tuple[str, str], ...] = ()  # (region code, article): cited only for cases there

    def basis_for(self, region_code: str) -> str:
        """The basis cited for a case in ``region_code``: the national basis, plus that region's articles."""
        extra = [article for code, article in self.regional_basis if region_code.startswith(region_prefix(code))]
        return "；".join([self.basis, *extra])

    @property
    def system_only(self) -> bool:
        return self.actor_organ == "system"

    @property
    def step_text(self) -> str:
        """The plain-Chinese step, with every period filled in from the rule files ({rule_id})."""
        from xinfang.rules import default_rulebook

        periods = {
            rule.id: f"{rule.values[-1].value}{rule.values[-1].unit.label}"
            for rule in default_rulebook().rules.values()
            if rule.values[-1].value is not None
        }
        return self.step.format(**periods)


TRIAGE = frozenset({R.TRIAGE_OFFICER, R.LEADER})
HANDLING = frozenset({R.HANDLER, R.APPROVER, R.LEADER})
REGISTRY = frozenset({R.REGISTRAR, R.TRIAGE_OFFICER})
ROUTED_SOURCES = frozenset({State.TRIAGED, State.ESCALATED})
DISPOSITION_STOPS = (Stop("bureau_disposition"),)
HANDLING_STOPS = (Stop("handling"), Stop("handling_extension"))
WORKING = frozenset({State.INVESTIGATING, State.EXTENDED})
# A written answer to the petitioner (reply, feedback, route, referral) also serves the written notice
# of Art. 23(2)-(3) if that is still outstanding; if it comes after the 15 days, the clock shows it late.
ANSWERED = (Stop("receipt_notice"),)
# Art. 28(3), 30(3): the accused organ and its staff do not accept, handle or decide (guards.actor_not_accused).
RECUSE = (g.actor_not_accused,)
# Art. 34 binds Art. 31(6) matters only: a grievance found to belong to Art. 31(1)-(5) drops the clock.
NOT_ART_34 = (Stop("handling", "cancelled"),)
HANDLING_FROM_ACCEPTANCE = (Start("handling", trigger=h.accepted, when=h.is_grievance),)

TABLE: tuple[Transition, ...] = (
    Transition(
        name="receive",
        label="收到",
        code="T1",
        sources=frozenset(),
        target=State.RECEIVED,
        roles=REGISTRY | {R.ADMINISTRATOR},
        basis="《信访工作条例》第十七条第一款",
        step="信访人通过网上、来信、来电、传真、来访等形式提出信访事项。",
    ),
    Transition(
        name="register",
        label="登记",
        code="T2",
        sources=frozenset({State.RECEIVED}),
        target=State.REGISTERED,
        roles=REGISTRY | {R.ADMINISTRATOR},
        basis="《信访工作条例》第十九条第一款、第二十一条第二款、第二十二条第一款、第二十三条第一款",
        starts=(
            Start("bureau_disposition", trigger=h.received, when=h.at_petition_bureau),
            Start("receipt_notice", trigger=h.received, when=h.owes_receipt_notice),
            Start("transfer_objection", trigger=h.received, when=h.received_by_transfer),
        ),
        step="收到的信访事项一律登记录入信访信息系统，口头提出的如实记录；不得拒绝登记。",
    ),
    Transition(
        name="triage",
        label="甄别分类",
        code="T3",
        sources=frozenset({State.REGISTERED}),
        target=State.TRIAGED,
        roles=TRIAGE,
        basis="《信访工作条例》第十九条第三款、第二十九条至第三十一条、第三十六条第三款",
        requires=("category",),
        guards=(g.category_is_known,),
        effects=(h.set_category,),
        step="区分建议意见类、检举控告类、申诉求决类，查明是否为同一信访事项、同一事实和理由。",
    ),
    Transition(
        name="not_reaccept",
        label="不再受理",
        code="T4",
        sources=frozenset({State.TRIAGED}),
        target=State.NOT_REACCEPTED,
        roles=TRIAGE,
        basis="《信访工作条例》第三十六条第三款、第三十七条第三款",
        requires=("same_facts_confirmed", "guidance"),
        guards=(g.matter_is_final, g.same_facts_confirmed),
        stops=DISPOSITION_STOPS,
        step="信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，不再受理，并做好疏导教育。",
    ),
    Transition(
        name="not_accept",
        label="不予受理",
        code="T5",
        sources=frozenset({State.TRIAGED}),
        target=State.NOT_ACCEPTED,
        roles=TRIAGE,
        basis="《信访工作条例》第十九条第三款",
        guards=(g.same_matter_pending_below,),
        stops=DISPOSITION_STOPS,
        step="同一信访事项已由下级受理或正在办理，又向上级提出的，上级不予受理。",
    ),
    Transition(
        name="transfer",
        label="转送",
        code="T6/T11",
        sources=ROUTED_SOURCES,
        target=State.TRANSFERRED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十二条第一款第一项、第二项，第二十三条第一款",
        requires=("target_organ",),
        guards=(g.target_in_jurisdiction, g.not_to_accused),
        stops=DISPOSITION_STOPS,
        opens_case=True,
        step="按照属地管理、分级负责，谁主管、谁负责的原则，转送有权处理的机关、单位。",
    ),
    Transition(
        name="assign",
        label="交办",
        code="T7",
        sources=ROUTED_SOURCES,
        target=State.ASSIGNED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十二条第一款第三项、第二十三条第一款、第三款",
        requires=("target_organ", "days"),
        guards=(g.target_in_jurisdiction, g.not_to_accused),
        starts=(Start("assignment_report", trigger=h.today, bound=h.target_organ, days_from="days"),),
        stops=DISPOSITION_STOPS,
        opens_case=True,
        step="重要情况需要反馈办理结果的，交有权处理的机关办理，要求在指定期限内反馈结果、提交办结报告。",
    ),
    Transition(
        name="escalate",
        label="报请决定",
        code="T8",
        sources=frozenset({State.TRIAGED}),
        target=State.ESCALATED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十二条第一款第一项、第二十五条",
        requires=("report",),
        stops=DISPOSITION_STOPS,
        effects=(h.flag_major_urgent,),
        step="情况重大、紧急的，及时提出建议，报请本级党委和政府决定。",
    ),
    Transition(
        name="route_political_legal",
        label="转政法部门",
        code="T9",
        sources=frozenset({State.TRIAGED}),
        target=State.ROUTED_POLITICAL_LEGAL,
        roles=TRIAGE,
        basis="《信访工作条例》第二十条第二款、第二十二条第二款、第二十八条第二款",
        requires=("target_organ",),
        guards=(g.target_is_political_legal, g.target_same_level),
        stops=DISPOSITION_STOPS,
        opens_case=True,
        step="涉法涉诉信件转送同级政法部门依法处理；走访的，引导其向有关政法部门反映。",
    ),
    Transition(
        name="route_discipline",
        label="转纪检监察",
        code="T10",
        sources=frozenset({State.TRIAGED}),
        target=State.ROUTED_DISCIPLINE,
        roles=TRIAGE,
        basis="《信访工作条例》第二十二条第二款、第三十条第一款",
        requires=("target_organ",),
        guards=(g.is_accusation, g.target_is_discipline, g.discipline_has_authority, g.not_to_accused),
        stops=DISPOSITION_STOPS,
        opens_case=True,
        step="属于纪检监察机关受理的检举控告类事项，按照管理权限转送纪检监察机关。",
    ),
    Transition(
        name="refer_out",
        label="告知向有权机关提出",
        code="T12",
        sources=frozenset({State.TRIAGED}),
        target=State.REFERRED_OUT,
        roles=TRIAGE,
        basis="《信访工作条例》第二十三条第一款、第二款",
        requires=("competent_organ",),
        guards=(g.not_petition_bureau,),
        stops=ANSWERED,
        step="不属于本机关、单位或者本系统职权范围的，书面告知信访人向有权处理的机关、单位提出。",
    ),
    Transition(
        name="accept",
        label="受理",
        code="T13",
        sources=frozenset({State.TRIAGED}),
        target=State.ACCEPTED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十三条第一款至第三款、第三十四条",
        guards=(*RECUSE, g.not_petition_bureau),
        stops=(Stop("transfer_objection", "cancelled"),),
        starts=HANDLING_FROM_ACCEPTANCE,
        effects=(h.stamp_accepted,),
        step="属于本机关、单位职权范围的予以受理，并书面告知信访人接收情况以及处理途径和程序。",
    ),
    Transition(
        name="object",
        label="提出异议",
        code="T14",
        sources=frozenset({State.TRIAGED}),
        target=State.OBJECTION_RAISED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十三条第三款",
        requires=("reasons",),
        guards=(*RECUSE, g.received_by_transfer, g.objection_in_time),
        stops=(Stop("transfer_objection"),),
        step="转送、交办的事项不属于本机关职权范围的，自收到之日起{transfer_objection}内提出异议并详细说明理由。",
    ),
    Transition(
        name="approve_objection",
        label="同意异议、交还材料",
        code="T15",
        sources=frozenset({State.OBJECTION_RAISED}),
        target=State.RETURNED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十三条第三款",
        actor_organ="sender",
        stops=(Stop("receipt_notice", "cancelled"),),
        then_parent="take_back",
        step="转送、交办机关核实同意异议后，交还相关材料，重新确定有权处理的机关。",
    ),
    Transition(
        name="take_back",
        label="收回重新分办",
        code="T15",
        sources=frozenset({State.TRANSFERRED, State.ASSIGNED}),
        target=State.TRIAGED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十三条第三款",
        stops=(Stop("assignment_report", "cancelled"),),
        step="异议成立的，转送、交办机关收回材料，重新分办。",
    ),
    Transition(
        name="reject_objection",
        label="不同意异议",
        code="T16",
        sources=frozenset({State.OBJECTION_RAISED}),
        target=State.ACCEPTED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十三条第三款、第二十四条第一款、第三十四条",
        actor_organ="sender",
        requires=("reasons",),
        starts=HANDLING_FROM_ACCEPTANCE,
        effects=(h.stamp_accepted,),
        step="转送、交办机关核实不同意异议的，由收到的机关受理办理。",
    ),
    Transition(
        name="designate",
        label="指定受理机关",
        code="T17",
        sources=frozenset({State.TRIAGED}),
        target=State.TRANSFERRED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十四条第一款",
        actor_organ="superior",
        requires=("target_organ",),
        guards=(g.target_below_actor, g.not_to_accused),
        stops=DISPOSITION_STOPS,
        opens_case=True,
        step="涉及多个机关、对受理有争议的，由其共同的上一级机关决定受理机关。",
    ),
    Transition(
        name="start_suggestion_review",
        label="研究论证",
        code="T18",
        sources=frozenset({State.ACCEPTED}),
        target=State.SUGGESTION_REVIEW,
        roles=HANDLING,
        basis="《信访工作条例》第二十九条第一款",
        guards=(*RECUSE, g.is_suggestion),
        step="建议意见类事项认真研究论证。",
    ),
    Transition(
        name="conclude_suggestion",
        label="采纳情况回复",
        code="T18",
        sources=frozenset({State.SUGGESTION_REVIEW}),
        target=State.SUGGESTION_CONCLUDED,
        roles=HANDLING,
        basis="《信访工作条例》第二十九条第一款",
        requires=("adoption", "reply"),
        guards=(*RECUSE, g.adoption_is_known),
        stops=ANSWERED,
        step="科学合理、具有现实可行性的，采纳或者部分采纳，并予以回复。",
    ),
    Transition(
        name="start_accusation_handling",
        label="依规依纪依法办理",
        code="T19",
        sources=frozenset({State.ACCEPTED}),
        target=State.ACCUSATION_HANDLING,
        roles=HANDLING,
        basis="《信访工作条例》第三十条第一款",
        guards=(*RECUSE, g.is_accusation),
        step="检举控告类事项由纪检监察机关或者有权处理的机关依规依纪依法受理、办理。",
    ),
    Transition(
        name="conclude_accusation",
        label="办结反馈",
        code="T19",
        sources=frozenset({State.ACCUSATION_HANDLING}),
        target=State.ACCUSATION_CONCLUDED,
        roles=HANDLING,
        basis="《信访工作条例》第三十条第一款、第二十三条第四款",
        requires=("result",),
        guards=RECUSE,
        stops=ANSWERED,
        step="办结后按照纪检监察机关的规定反馈。",
    ),
    Transition(
        name="divert",
        label="导入法定程序",
        code="T20",
        sources=frozenset({State.ACCEPTED}),
        target=State.DIVERTED,
        roles=HANDLING,
        basis="《信访工作条例》第三十一条第一项至第四项、第二十八条第二款",
        requires=("target_procedure", "guidance"),
        guards=(*RECUSE, g.is_grievance, g.divert_target_is_known),
        stops=ANSWERED + NOT_ART_34,
        effects=(h.record_diversion,),
        step="应当通过诉讼、仲裁、行政复议等法定途径解决的，导入相应程序，并告知信访人。",
    ),
    Transition(
        name="perform_duty",
        label="依法履行职责",
        code="T21",
        sources=frozenset({State.ACCEPTED}),
        target=State.DUTY_PERFORMANCE,
        roles=HANDLING,
        basis="《信访工作条例》第三十一条第五项",
        guards=(*RECUSE, g.is_grievance),
        stops=NOT_ART_34,
        step="申请查处违法行为、履行保护人身权或者财产权等职责的，依法履行或者答复。",
    ),
    Transition(
        name="complete_duty",
        label="履行或答复完毕",
        code="T21",
        sources=frozenset({State.DUTY_PERFORMANCE}),
        target=State.CLOSED,
        roles=HANDLING,
        basis="《信访工作条例》第三十一条第五项",
        requires=("result",),
        guards=RECUSE,
        stops=ANSWERED,
        step="依法履行职责或者答复后办结。",
    ),
    Transition(
        name="investigate",
        label="调查核实",
        code="T22",
        sources=frozenset({State.ACCEPTED}),
        target=State.INVESTIGATING,
        roles=HANDLING,
        basis="《信访工作条例》第三十一条第六项、第三十四条",
        guards=(*RECUSE, g.is_grievance),
        # The clock runs from acceptance (started by `accept`); cases accepted before that get it here.
        starts=(Start("handling", trigger=h.accepted, when=h.no_handling_clock),),
        step="其他申诉求决类事项，听取信访人陈述事实和理由，调查核实，自受理之日起{handling}内办结。",
    ),
    Transition(
        name="extend",
        label="延期办理",
        code="T23",
        sources=WORKING,
        target=State.EXTENDED,
        roles=frozenset({R.APPROVER}),
        basis="《信访工作条例》第三十四条",
        requires=("reason", "days"),
        guards=(*RECUSE, g.extension_within_cap, g.handling_not_expired, g.notice_on_record),
        effects=(h.mark_extension,),
        starts=(Start("handling_extension", trigger=h.handling_due, days_from="days"),),
        stops=(Stop("handling", "extended"), Stop("handling_extension", "extended")),
        notice="extension_notice",
        step="情况复杂的，经本机关负责人批准，可以延长不超过{handling_extension}，并告知信访人延期理由。",
    ),
    Transition(
        name="start_hearing",
        label="举行听证",
        code="T24",
        sources=WORKING,
        target=State.HEARING,
        roles=HANDLING,
        basis="《信访工作条例》第三十一条第六项",
        guards=RECUSE,
        effects=(h.remember_state,),
        step="重大、复杂、疑难的信访事项，可以举行听证；听证时间计入办理期限。",
    ),
    Transition(
        name="end_hearing",
        label="听证结束",
        code="T24",
        sources=frozenset({State.HEARING}),
        target=RESUME,
        roles=HANDLING,
        basis="《信访工作条例》第三十一条第六项",
        requires=("conclusion",),
        step="听证结束，继续调查核实。",
    ),
    Transition(
        name="start_mediation",
        label="调解和解",
        code="T25",
        sources=WORKING,
        target=State.MEDIATION,
        roles=HANDLING,
        basis="《信访工作条例》第三十三条",
        requires=("consent",),
        guards=(*RECUSE, g.both_parties_consent),
        effects=(h.remember_state,),
        step="在各方自愿的前提下，可以调解或者和解。",
    ),
    Transition(
        name="settle",
        label="达成协议",
        code="T25",
        sources=frozenset({State.MEDIATION}),
        target=State.SETTLED,
        roles=HANDLING,
        basis="《信访工作条例》第三十三条",
        requires=("agreement",),
        guards=(*RECUSE, g.notice_on_record),
        stops=HANDLING_STOPS,
        notice="mediation_agreement",  # or a 和解协议书, which serves the same notice (its kind file)
        from_notice=(("agreement", "terms"),),
        step="经调解、和解达成一致意见的，制作调解协议书或者和解协议书。",
    ),
    Transition(
        name="end_mediation",
        label="调解未成",
        code="T25",
        sources=frozenset({State.MEDIATION}),
        target=RESUME,
        roles=HANDLING,
        basis="《信访工作条例》第三十三条",
        step="未达成协议的，继续调查核实。",
    ),
    Transition(
        name="issue_opinion",
        label="出具信访处理意见书",
        code="T26",
        sources=WORKING | {State.HEARING},
        target=State.OPINION_ISSUED,
        roles=HANDLING,
        basis="《信访工作条例》第三十二条第一款",
        requires=("outcome", "facts", "reasons", "legal_basis"),
        guards=(*RECUSE, g.outcome_is_known),
        stops=HANDLING_STOPS,
        effects=(h.record_outcome,),
        step="出具信访处理意见书，载明投诉请求、事实和理由、处理意见及其法律法规依据：支持、解释说明或者不予支持。",
    ),
    Transition(
        name="serve_opinion",
        label="送达处理意见书",
        code="T27",
        sources=frozenset({State.OPINION_ISSUED}),
        target=State.OPINION_DELIVERED,
        roles=HANDLING,
        basis="《信访工作条例》第三十二条第二款、第三十五条",
        requires=("served_on", "method"),
        guards=(*RECUSE, g.served_on_is_valid, g.notice_on_record),
        starts=(Start("review_request", trigger=h.served_on),),
        effects=(h.flag_execution_monitoring,),
        notice="handling_opinion",
        step="处理意见书送达信访人；信访人不服的，可以自收到之日起{review_request}内请求上一级机关复查。",
    ),
    Transition(
        name="request_review",
        label="请求复查",
        code="T28",
        sources=frozenset({State.OPINION_DELIVERED}),
        target=State.REVIEW_REQUESTED,
        roles=REGISTRY,
        basis="《信访工作条例》第三十五条",
        actor_organ="review",
        requires=("received_on",),
        guards=(g.has_superior, g.request_in_window),
        stops=(Stop("review_request"),),
        starts=(Start("review", trigger=h.received_on, bound=h.review_organ),),
        effects=(h.move_to_review,),
        online=True,
        step="信访人自收到书面答复之日起{review_request}内，向原办理机关的上一级机关请求复查。",
    ),
    Transition(
        name="close_no_review",
        label="未申请复查，办结",
        code="T29",
        sources=frozenset({State.OPINION_DELIVERED}),
        target=State.CLOSED_NO_REVIEW,
        roles=frozenset(),
        basis="《信访工作条例》第三十五条",
        actor_organ="system",
        regional_basis=(("370000", "《山东省信访条例》第四十六条第二项"), ("330000", "《浙江省信访条例》第二十五条")),
        guards=(g.window_lapsed,),
        stops=(Stop("review_request", "lapsed"),),
        step="{review_request}内未请求复查的，该事项办结。",
    ),
    Transition(
        name="decide_review",
        label="复查意见书面答复",
        code="T30",
        sources=frozenset({State.REVIEW_REQUESTED}),
        target=State.REVIEW_DELIVERED,
        roles=HANDLING,
        basis="《信访工作条例》第三十五条、第三十六条第一款",
        actor_organ="review",
        requires=("decision", "changed", "served_on"),
        guards=(*RECUSE, g.served_on_is_valid, g.notice_on_record),
        stops=(Stop("review"),),
        starts=(Start("re_review_request", trigger=h.served_on),),
        notice="review_opinion",
        from_notice=(("decision", "opinion"), ("changed", "changed")),
        step="复查机关自收到请求之日起{review}内提出复查意见并书面答复；不服的，可以自收到之日起{re_review_request}内请求复核。",
    ),
    Transition(
        name="request_re_review",
        label="请求复核",
        code="T31",
        sources=frozenset({State.REVIEW_DELIVERED}),
        target=State.RE_REVIEW_REQUESTED,
        roles=REGISTRY,
        basis="《信访工作条例》第三十六条第一款",
        actor_organ="re_review",
        requires=("received_on",),
        guards=(g.review_organ_has_superior, g.request_in_window),
        stops=(Stop("re_review_request"),),
        starts=(Start("re_review", trigger=h.received_on, bound=h.re_review_organ),),
        effects=(h.move_to_re_review,),
        online=True,
        step="信访人自收到复查意见之日起{re_review_request}内，向复查机关的上一级机关请求复核。",
    ),
    Transition(
        name="close_no_re_review",
        label="未申请复核，办结",
        code="T32",
        sources=frozenset({State.REVIEW_DELIVERED}),
        target=State.CLOSED_NO_REVIEW,
        roles=frozenset(),
        basis="《信访工作条例》第三十六条第一款",
        actor_organ="system",
        guards=(g.window_lapsed,),
        stops=(Stop("re_review_request", "lapsed"),),
        step="{re_review_request}内未请求复核的，该事项办结。",
    ),
    Transition(
        name="start_re_review_hearing",
        label="复核听证",
        code="T33",
        sources=frozenset({State.RE_REVIEW_REQUESTED}),
        target=State.RE_REVIEW_HEARING,
        roles=HANDLING,
        basis="《信访工作条例》第三十六条第二款",
        actor_organ="re_review",
        guards=RECUSE,
        pause="re_review",
        step="复核机关可以举行听证；听证所需时间不计入复核期限。",
    ),
    Transition(
        name="end_re_review_hearing",
        label="复核听证结束",
        code="T33",
        sources=frozenset({State.RE_REVIEW_HEARING}),
        target=State.RE_REVIEW_REQUESTED,
        roles=HANDLING,
        basis="《信访工作条例》第三十六条第二款",
        actor_organ="re_review",
        resume="re_review",
        requires=("conclusion",),
        step="听证结束，复核期限继续计算。",
    ),
    Transition(
        name="issue_re_review_opinion",
        label="出具复核意见",
        code="T34",
        sources=frozenset({State.RE_REVIEW_REQUESTED}),
        target=State.FINAL,
        roles=HANDLING,
        basis="《信访工作条例》第三十六条第一款至第三款",
        actor_organ="re_review",
        requires=("decision", "changed"),
        guards=(*RECUSE, g.notice_on_record),
        stops=(Stop("re_review"),),
        effects=(h.finalise_matter,),
        notice="re_review_opinion",
        from_notice=(("decision", "opinion"), ("changed", "changed")),
        step=(
            "复核机关自收到请求之日起{re_review}内提出复核意见；信访人对复核意见不服，"
            "仍然以同一事实和理由提出投诉请求的，不再受理。"
        ),
    ),
    Transition(
        name="submit_completion_report",
        label="提交办结报告",
        code="T35",
        sources=frozenset({State.ASSIGNED}),
        target=SAME,
        roles=HANDLING,
        basis="《信访工作条例》第二十二条第一款第三项",
        actor_organ="assignee",
        requires=("report",),
        guards=RECUSE,
        stops=(Stop("assignment_report"),),
        effects=(h.store_report,),
        step="承办机关在指定期限内反馈结果，提交办结报告。",
    ),
    Transition(
        name="accept_completion_report",
        label="办结报告审核通过",
        code="T35",
        sources=frozenset({State.ASSIGNED}),
        target=State.CLOSED,
        roles=TRIAGE,
        basis="《信访工作条例》第二十二条第一款第三项",
        guards=(g.report_submitted,),
        step="交办机关审核办结报告，符合要求的办结。",
    ),
    Transition(
        name="reject_completion_report",
        label="办结报告退回",
        code="T35",
        sources=frozenset({State.ASSIGNED}),
        target=SAME,
        roles=TRIAGE,
        basis="《信访工作条例》第二十二条第一款第三项",
        requires=("reason", "days"),
        guards=(g.report_submitted,),
        starts=(Start("assignment_report", trigger=h.today, bound=h.target_organ, days_from="days"),),
        effects=(h.clear_report,),
        step="办结报告不符合要求的，退回重新办理并重新指定期限。",
    ),
    Transition(
        name="record_notice",
        label="书面告知",
        code="—",
        sources=ANY_STATE,
        target=SAME,
        roles=REGISTRY | HANDLING,
        basis="《信访工作条例》第二十三条第二款、第三款",
        requires=("served_on", "method"),
        guards=(*RECUSE, g.receipt_notice_running, g.served_on_is_valid, g.notice_on_record),
        stops=(Stop("receipt_notice"),),
        notice="receipt_notice",
        step="能够当场告知的当场书面告知；不能当场告知的，自收到之日起{receipt_notice}内书面告知；姓名、住址不清的除外。",
    ),
    Transition(
        name="supervise",
        label="督办",
        code="T36",
        sources=NON_TERMINAL,
        target=SAME,
        roles=frozenset({R.SUPERVISOR}),
        basis="《信访工作条例》第四十条第一款",
        actor_organ="superior_bureau",
        requires=("instruction",),
        effects=(h.flag_supervised,),
        step="推诿、敷衍、拖延或者超期的，信访部门及时督办，并提出改进工作的建议。",
    ),
    Transition(
        name="take_leader_case",
        label="领导包案",
        code="—",
        sources=NON_TERMINAL,
        target=SAME,
        roles=frozenset({R.LEADER}),
        basis="《信访工作条例》第十八条第二款",
        actor_organ="case_or_superior",
        requires=("leader",),
        effects=(h.flag_leader_case,),
        step="领导干部包案化解群众反映强烈的突出问题。",
    ),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TABLE}
assert len(BY_NAME) == len(TABLE), "transition names must be unique"


def allowed_from(state: str) -> list[Transition]:
    return [t for t in TABLE if state in t.sources]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    transition: Transition = field(compare=False)


def edges() -> list[Edge]:
    """Every (source, target) pair, with RESUME expanded, for the roadmap diagram."""
    result = []
    for t in TABLE:
        for source in sorted(t.sources):
            if t.target == SAME:
                continue
            if t.target == RESUME:
                for back in sorted(WORKING):
                    result.append(Edge(source, back, t))
            else:
                result.append(Edge(source, t.target, t))
    return result
