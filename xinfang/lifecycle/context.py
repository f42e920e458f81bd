"""What a guard or effect sees: the locked case, the actor, the payload and the clock's today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from xinfang.org.models import Organ, Staff


class NonStaffActor:
    """An actor with no staff record, no organ and no roles."""

    pk = None
    roles: tuple[str, ...] = ()
    organ = None
    user = None


class SystemActor(NonStaffActor):
    """The platform itself: the deadline scan, and the receiving side of a transfer."""

    def __str__(self) -> str:
        return "系统"


SYSTEM = SystemActor()


class PetitionerOnline(NonStaffActor):
    """The petitioner acting on the portal, known by the petition number and its query code (Art. 21(2))."""

    def __str__(self) -> str:
        return "信访人（网上信访平台）"


PETITIONER_ONLINE = PetitionerOnline()
Actor = Staff | SystemActor | PetitionerOnline


class Refused(Exception):
    """A transition the law or the table does not allow. The message cites the rule."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(Refused):
    """Someone else changed the case first."""


FIELD_LABELS = {
    "category": "类别",
    "target_organ": "接收机关",
    "days": "期限天数",
    "report": "报告内容",
    "reasons": "理由",
    "reason": "延期理由",
    "guidance": "告知信访人的途径和说明",
    "competent_organ": "有权处理的机关",
    "adoption": "采纳情况",
    "reply": "回复内容",
    "result": "办理结果",
    "target_procedure": "导入的法定程序",
    "conclusion": "听证结论",
    "consent": "各方同意调解",
    "agreement": "协议内容",
    "outcome": "处理意见",
    "facts": "事实",
    "legal_basis": "法律法规依据",
    "served_on": "送达日期",
    "method": "送达方式",
    "received_on": "收到请求日期",
    "decision": "复查（复核）意见",
    "changed": "是否撤销或者变更原意见",
    "same_facts_confirmed": "同一事实和理由的确认",
    "instruction": "督办要求",
    "leader": "包案领导",
}
# Fields that name an organ: read with `Context.organ`, recorded on the event by id and name.
ORGAN_FIELDS = frozenset({"target_organ", "accused_organ"})
# Confirmations: a required box left unticked (False) reaches its guard, which refuses citing the article.
CONFIRMATIONS = frozenset({"consent", "same_facts_confirmed"})


def is_missing(key: str, value: object) -> bool:
    """True if a required field ``key`` was not filled in."""
    return value is None or value == "" or (value is False and key not in CONFIRMATIONS)


@dataclass
class Context:
    case: Any  # lifecycle.models.Case, locked
    actor: Actor
    payload: dict[str, Any]
    now: dt.datetime
    from_state: str = ""
    petition_changed: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def date(self, key: str) -> dt.date:
        value = self.payload.get(key)
        if isinstance(value, dt.datetime):
            return timezone.localdate(value)
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise Refused(f"「{FIELD_LABELS.get(key, key)}」日期格式错误：{value!r}", field=key) from None

    def organ(self, key: str = "target_organ") -> Organ:
        value = self.payload.get(key)
        if isinstance(value, Organ):
            return value
        try:
            return Organ.objects.get(pk=int(value))  # type: ignore[arg-type]
        except (TypeError, ValueError, Organ.DoesNotExist):
            raise Refused(f"「{FIELD_LABELS.get(key, key)}」不存在：{value!r}", field=key) from None
