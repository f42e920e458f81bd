"""Case states of legal-rules §18.1. "Terminal" means terminal for that organ's case record."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    RECEIVED = "received", "收到"
    REGISTERED = "registered", "登记"
    TRIAGED = "triaged", "甄别分类"
    TRANSFERRED = "transferred", "转送"
    ASSIGNED = "assigned", "交办"
    ESCALATED = "escalated", "报请决定"
    ROUTED_POLITICAL_LEGAL = "routed_political_legal", "转政法部门"
    ROUTED_DISCIPLINE = "routed_discipline", "转纪检监察"
    REFERRED_OUT = "referred_out", "告知向有权机关提出"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    NOT_REACCEPTED = "not_reaccepted", "不再受理"
    OBJECTION_RAISED = "objection_raised", "提出异议"
    RETURNED = "returned", "交还材料"
    ACCEPTED = "accepted", "受理"
    SUGGESTION_REVIEW = "suggestion_review", "研究论证"
    SUGGESTION_CONCLUDED = "suggestion_concluded", "建议已回复"
    ACCUSATION_HANDLING = "accusation_handling", "依规依纪依法办理"
    ACCUSATION_CONCLUDED = "accusation_concluded", "办结反馈"
    DIVERTED = "diverted", "导入法定程序"
    DUTY_PERFORMANCE = "duty_performance", "依法履行职责"
    INVESTIGATING = "investigating", "调查核实"
    EXTENDED = "extended", "延期办理"
    HEARING = "hearing", "听证"
    MEDIATION = "mediation", "调解和解"
    SETTLED = "settled", "达成调解和解协议"
    OPINION_ISSUED = "opinion_issued", "出具处理意见书"
    OPINION_DELIVERED = "opinion_delivered", "处理意见书已送达"
    REVIEW_REQUESTED = "review_requested", "复查中"
    REVIEW_DELIVERED = "review_delivered", "复查意见已送达"
    RE_REVIEW_REQUESTED = "re_review_requested", "复核中"
    RE_REVIEW_HEARING = "re_review_hearing", "复核听证"
    FINAL = "final", "复核终结"
    CLOSED_NO_REVIEW = "closed_no_review", "未申请复查（复核），办结"
    CLOSED = "closed", "办结"


TERMINAL = frozenset(
    {
        State.TRANSFERRED,
        State.ROUTED_POLITICAL_LEGAL,
        State.ROUTED_DISCIPLINE,
        State.REFERRED_OUT,
        State.NOT_ACCEPTED,
        State.NOT_REACCEPTED,
        State.RETURNED,
        State.SUGGESTION_CONCLUDED,
        State.ACCUSATION_CONCLUDED,
        State.DIVERTED,
        State.SETTLED,
        State.FINAL,
        State.CLOSED_NO_REVIEW,
        State.CLOSED,
    }
)
NON_TERMINAL = frozenset(State) - TERMINAL


class DivertTarget(models.TextChoices):
    """Art. 31(1)–(4): the legal procedure a grievance is channelled into."""

    LITIGATION_OR_JUDICIAL = "litigation_or_judicial", "诉讼、复议、检察或公安法律程序（第三十一条第一项）"
    ARBITRATION = "arbitration", "仲裁（第三十一条第二项）"
    PARTY_APPEAL = "party_appeal", "党员申诉、申请复审（第三十一条第三项）"
    ADMINISTRATIVE_PROCEDURE = (
        "administrative_procedure",
        "行政复议、裁决、确认、许可、处罚等行政程序（第三十一条第四项）",
    )


class Outcome(models.TextChoices):
    """Art. 32(1)."""

    UPHELD = "upheld", "支持"
    EXPLAINED = "explained", "解释说明"
    NOT_UPHELD = "not_upheld", "不予支持"


class Via(models.TextChoices):
    DIRECT = "direct", "直接提出"
    TRANSFER = "transfer", "转送"
    ASSIGNMENT = "assignment", "交办"
