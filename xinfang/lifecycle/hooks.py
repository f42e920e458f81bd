"""What a row of the transition table runs, other than guards: clock conditions, start dates, bounds, effects.

Every one is a `Hook`: a named function of the `Context`, with the Chinese words staff read on the roadmap.
A row points at them directly (``Start("handling", h.accepted, when=h.is_grievance)``,
``before=(h.set_category,)``), so a reader goes from the row to the code in one step. Guards are hooks too
(`guards.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils import timezone

from xinfang.intake.models import Category
from xinfang.org.models import Organ

from .context import Context, Refused
from .notices import own_notice_rules
from .states import Via

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Hook(Generic[T]):
    """A named function of the context. ``label``: what staff read about it on the roadmap.

    A hook compares equal to its name (and hashes like it), so code that still names hooks by string
    (`lifecycle.selectors.PRECHECKED_GUARDS`, bench/history.py) keeps working.
    """

    name: str
    fn: Callable[[Context], T]
    label: str = ""

    def __call__(self, ctx: Context) -> T:
        return self.fn(ctx)

    def __eq__(self, other: object) -> bool:
        return self.name == (other.name if isinstance(other, Hook) else other)

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        return self.name


def hook(label: str = "", name: str = "") -> Callable[[Callable[[Context], T]], Hook[T]]:
    """Decorator: the function becomes a `Hook` named ``name`` (default: the function's name)."""

    def wrap(fn: Callable[[Context], T]) -> Hook[T]:
        return Hook(name or fn.__name__, fn, label)

    return wrap


Condition = Hook[bool]
Trigger = Hook[dt.date]
Bound = Hook[Organ]
Effect = Hook[None]


# --- conditions: when a clock starts (Start.when) -----------------------------------------------


@hook("本机关是信访部门")
def at_petition_bureau(ctx: Context) -> bool:
    return bool(ctx.case.organ.is_petition_bureau)


@hook("本机关须书面告知（非信访部门，且信访人姓名、住址清楚）")
def owes_receipt_notice(ctx: Context) -> bool:
    # Art. 23(4): 政法 litigation-rights matters and 纪检监察 accusations follow their own notice rules.
    case = ctx.case
    return not case.organ.is_petition_bureau and not case.petition.notice_exempt and not own_notice_rules(case)


@hook("经转送、交办收到")
def received_by_transfer(ctx: Context) -> bool:
    case = ctx.case
    return bool(
        case.via != Via.DIRECT
        and case.parent_id is not None
        and not case.organ.is_petition_bureau
        and not own_notice_rules(case)
    )


@hook("本事项属申诉求决类")
def is_grievance(ctx: Context) -> bool:
    # Art. 34 binds the matters of Art. 31(6), all 申诉求决类 when accepted: it is cancelled if the matter
    # turns out to belong to Art. 31(1)-(5) (divert, perform_duty).
    return bool(ctx.case.category == Category.GRIEVANCE)


@hook("办理期限尚未开始计算（受理时未计时的）")
def no_handling_clock(ctx: Context) -> bool:
    return not ctx.case.clocks.filter(rule="handling").exists()


# --- triggers: the day a clock starts from (Start.trigger) ----------------------------------------


@hook("收到信访事项之日")
def received(ctx: Context) -> dt.date:
    return timezone.localdate(ctx.case.received_at)


@hook("受理之日")
def accepted(ctx: Context) -> dt.date:
    return timezone.localdate(ctx.case.accepted_at)


@hook("操作当日")
def today(ctx: Context) -> dt.date:
    return ctx.today


@hook("送达之日（填写）")
def served_on(ctx: Context) -> dt.date:
    return ctx.date("served_on")


@hook("收到请求之日（填写）")
def received_on(ctx: Context) -> dt.date:
    return ctx.date("received_on")


@hook("原办理期限届满之日")
def handling_due(ctx: Context) -> dt.date:
    clock = ctx.case.clocks.filter(rule__in=("handling", "handling_extension")).order_by("-pk").first()
    if clock is None:
        raise Refused("没有办理期限，无法计算延长期限")
    return clock.due


# --- bounds: whose deadline a clock is (Start.bound) ------------------------------------------------


def assignee_organ(case: Any) -> Organ | None:
    """The organ a case was assigned to (交办), if any."""
    child = next((c for c in case.children.all() if c.via == Via.ASSIGNMENT), None)
    return child.organ if child else None


@hook("本案所在机关", name="case")
def case_organ(ctx: Context) -> Organ:
    return ctx.case.organ


@hook("承办机关", name="target")
def target_organ(ctx: Context) -> Organ:
    if ctx.payload.get("target_organ"):
        return ctx.organ()
    return assignee_organ(ctx.case) or ctx.case.organ


@hook("复查机关", name="review")
def review_organ(ctx: Context) -> Organ:
    return ctx.case.review_organ


@hook("复核机关", name="re_review")
def re_review_organ(ctx: Context) -> Organ:
    return ctx.case.re_review_organ


# --- effects: field changes written with the new state (Transition.before) ---------------------------


@hook()
def set_category(ctx: Context) -> None:
    case = ctx.case
    case.category = ctx.payload["category"]
    if case.category == Category.ACCUSATION:
        case.confidential_accusation = True
    if not case.matter.category:
        case.matter.category = case.category
        case.matter.save(update_fields=["category"])
    accused = ctx.payload.get("accused_organ")
    if accused:
        case.petition.accused_organ = ctx.organ("accused_organ")
        case.petition.save(update_fields=["accused_organ"])
        ctx.petition_changed = True


def _setter(name: str, field: str, value: Callable[[Context], object]) -> Effect:
    def effect(ctx: Context) -> None:
        setattr(ctx.case, field, value(ctx))

    return Hook(name, effect)


stamp_accepted = _setter("stamp_accepted", "accepted_at", lambda ctx: ctx.now)
flag_major_urgent = _setter("flag_major_urgent", "major_urgent", lambda ctx: True)
flag_supervised = _setter("flag_supervised", "supervised", lambda ctx: True)
flag_leader_case = _setter("flag_leader_case", "leader_case", lambda ctx: True)
mark_extension = _setter("mark_extension", "extension_used", lambda ctx: True)
flag_execution_monitoring = _setter(
    "flag_execution_monitoring", "execution_monitoring", lambda ctx: ctx.case.outcome == "upheld"
)
remember_state = _setter("remember_state", "resume_state", lambda ctx: ctx.from_state)
record_diversion = _setter("record_diversion", "divert_target", lambda ctx: ctx.payload["target_procedure"])
record_outcome = _setter("record_outcome", "outcome", lambda ctx: ctx.payload["outcome"])
store_report = _setter("store_report", "completion_report", lambda ctx: str(ctx.payload["report"]))
clear_report = _setter("clear_report", "completion_report", lambda ctx: "")


@hook()
def move_to_review(ctx: Context) -> None:
    """Art. 35: the superior of the handling organ inside its own system."""
    ctx.case.review_organ = ctx.case.organ.review_superior()
    ctx.case.acting_organ = ctx.case.review_organ


@hook()
def move_to_re_review(ctx: Context) -> None:
    """Art. 36(1): the superior of the review organ inside its own system."""
    ctx.case.re_review_organ = ctx.case.review_organ.review_superior()
    ctx.case.acting_organ = ctx.case.re_review_organ


@hook()
def finalise_matter(ctx: Context) -> None:
    ctx.case.matter.final_at = ctx.now
    ctx.case.matter.save(update_fields=["final_at"])
