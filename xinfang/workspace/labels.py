"""What the timeline shows for an event: its name and, per payload field, the value in words.

Each field's values are labelled by that field's own enum (no dict merging enums keyed by raw value, where equal
values of different enums would overwrite each other). Event names come from the transition table for the
steps of the lifecycle, and from the app that records each other event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xinfang.documents.models import ServiceMethod
from xinfang.documents.selectors import kind_choices
from xinfang.intake.models import Category
from xinfang.intake.services import CORRECTABLE
from xinfang.lifecycle.context import FIELD_LABELS
from xinfang.lifecycle.guards import ADOPTION
from xinfang.lifecycle.states import DivertTarget, Outcome, Via
from xinfang.lifecycle.table import TABLE
from xinfang.org.models import Organ
from xinfang.rules import default_rulebook

# Events that are not steps of the table, by the app that records them.
OTHER_EVENTS = {
    # lifecycle.clocks and deadlines: the reminders, the overdue scan and calendar changes
    "mark_overdue": "标记超期",
    "remind": "限时提醒",
    "change_calendar": "节假日安排变更",
    "recompute_clock": "期限重新计算（节假日安排变更）",
    # documents.services
    "draft_document": "起草文书",
    "update_document": "修改文书",
    "approve_document": "审核签发文书",
    "issue_document": "印发文书",
    "serve_document": "登记送达",
    # mediation.services
    "refer_to_mediation": "移交调解（访调对接）",
    "record_mediation_session": "登记调解记录",
    "draft_mediation_agreement": "起草协议书",
    "end_mediation_without_agreement": "调解未成",
    "record_judicial_confirmation": "登记司法确认",
    "record_lawyer_consultation": "律师咨询",
    "record_lawyer_opinion": "律师法律意见",
    # agents.services
    "register_by_agent": "信访代办员代为登记",
    # grid.services
    "report_dispute": "网格上报矛盾纠纷",
    "conclude_dispute": "网格纠纷处置",
    "dispute_to_petition": "网格纠纷转为信访事项",
    # portal.services
    "rate": "信访人评价",
    "record_follow_up": "登记回访",
    "issue_query_code": "发放查询码（回执）",
    # intake.services.correct_registration
    "correct_registration": "更正登记内容",
    # workspace.services
    "save_filter": "保存查询条件",
    "delete_filter": "删除查询条件",
    # triage.services
    "triage.suggested": "智能建议（内容分类、转送机关、可能重复）",
    "triage.suggestion_accepted": "采纳内容分类建议",
    "triage.suggestion_changed": "改定内容分类（未采纳建议）",
    "triage.linked_to_matter": "关联到已有信访事项（重复信访）",
}
EVENT_LABELS = {t.name: t.label for t in TABLE} | OTHER_EVENTS

# Payload fields that are not fields of a transition form (those are labelled by lifecycle.context.FIELD_LABELS).
PAYLOAD_LABELS = {
    "via": "来源",
    "accused_organ": "被检举控告单位",
    "posted_on": "邮戳日期",
    "on": "日期",
    "rule": "期限",
    "legal_last_day": "法定最后一日",
    "kind": "文书",
    "number": "发文字号",
    "pdf_sm3": "PDF 的 SM3",
    "docx_sm3": "DOCX 的 SM3",
    "proof_sm3": "送达回证的 SM3",
    "tracking_number": "邮件单号",
    "aspect": "评价内容",
    "level": "评价",
    "follow_up_outcome": "回访结果",
    "note": "回访情况",
    "mode": "方式",
    "body": "调解组织",
    "held_on": "调解日期",
    "attendees": "参加人员",
    "days_in_mediation": "调解天数（计入办理期限）",
    "court": "确认法院",
    "area": "网格",
    "lawyer": "律师",
    "agent": "代办员",
    "consent_on": "同意日期",
    "firm": "律师事务所",
    "days_before": "提前天数",
    "due": "期满日",
    "old_due": "原期满日",
    "new_due": "新期满日",
    "old_legal_last_day": "原法定最后一日",
    "new_legal_last_day": "新法定最后一日",
    "receiving_organ": "收到请求的机关",
    "exemption": "不能书面告知的理由",
    "region_code": "问题发生地",
    "reissued": "补发",
    "correction_reason": "更正理由",
    "corrected_fields": "更正项目",
    "identity_unclear": "姓名、住址不清",
    "content_category": "内容分类",
    "label": "建议内容分类",
    "score": "置信度",
    "organ": "建议转送机关",
    "suggested": "建议内容分类",
    "decided": "决定内容分类",
    "linked_number": "关联的信访件",
    "matter_summary": "信访事项",
    "final_after_re_review": "该事项已复核终结",
}
# A correction's old and new values (personal data masked); the keyed indexes that confirm them are not shown.
PAYLOAD_LABELS |= {f"{name}_old": f"原{label}" for name, (label, _) in CORRECTABLE.items()}
PAYLOAD_LABELS |= {f"{name}_new": f"更正后{label}" for name, (label, _) in CORRECTABLE.items()}
HIDDEN = frozenset(
    {"expected_version", "clock", "from_case", "document", "referral", "report"}
    | {"suggestion", "model_version", "repeat_case_ids", "matter", "from_matter"}  # triage: internal ids
    | {f"{name}_{end}_index" for name in CORRECTABLE for end in ("old", "new")}
)
SHOWN_WHEN_TRUE = frozenset({"reissued", "final_after_re_review"})


def _rule_title(rule_id: str) -> str:
    rule = default_rulebook().rules.get(rule_id)
    return rule.title if rule else "期限"


def place_name(code: str) -> str:
    """A region in words (甲县), from its people's government: staff pages show no region codes."""
    organ = Organ.objects.filter(region_code=code, kind="other").order_by("path").first()
    return organ.name.removesuffix("人民政府") if organ else "（本辖区）"


def _organ(value: Any) -> str:
    organ = Organ.objects.filter(pk=value).first() if str(value).isdigit() else None
    return organ.name if organ else "（机关）"


VALUES: dict[str, Callable[[Any], str]] = {
    "via": lambda v: dict(Via.choices).get(v, v),
    "category": lambda v: dict(Category.choices).get(v, v),
    "outcome": lambda v: dict(Outcome.choices).get(v, v),
    "target_procedure": lambda v: dict(DivertTarget.choices).get(v, v),
    "adoption": lambda v: ADOPTION.get(v, v),
    "method": lambda v: dict(ServiceMethod.choices).get(v, v),
    "kind": lambda v: dict(kind_choices()).get(v, v),
    "rule": _rule_title,
    "region_code": place_name,
    "target_organ": _organ,
    "accused_organ": _organ,
    "receiving_organ": _organ,
    "score": lambda v: f"{float(v):.0%}",
}


def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, "其他记录")


def payload_rows(payload: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in payload.items():
        if value in (None, "") or key in HIDDEN or (key in SHOWN_WHEN_TRUE and not value):
            continue
        if isinstance(value, dict):
            shown = str(value.get("name", ""))
        elif isinstance(value, bool):
            shown = "是" if value else "否"
        else:
            shown = str(VALUES.get(key, str)(value))
        rows.append((FIELD_LABELS.get(key) or PAYLOAD_LABELS.get(key, "其他"), shown))
    return rows
