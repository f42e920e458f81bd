"""Who may do what: small named functions, tested as a matrix."""

from __future__ import annotations

from typing import Any

from xinfang.org.models import Organ, Role, Staff

from .context import Actor, PetitionerOnline, SystemActor
from .hooks import assignee_organ
from .table import Transition


def _within(organ: Organ | None, ancestor: Organ | None) -> bool:
    return organ is not None and ancestor is not None and organ.path.startswith(ancestor.path)


def acting_organ_for(case: Any, transition: Transition) -> Organ | None:
    """The organ whose staff may perform ``transition`` on ``case`` (None: decided by the check)."""
    kind = transition.actor_organ
    if kind == "case":
        return case.organ
    if kind == "sender":
        return case.parent.organ if case.parent_id else None
    if kind == "review":  # Art. 35: the superior inside the handling organ's system
        return case.review_organ or case.organ.review_superior()
    if kind == "re_review":  # Art. 36(1): the superior of the review organ inside its system
        review = case.review_organ or case.organ.review_superior()
        return case.re_review_organ or (review.review_superior() if review else None)
    if kind == "assignee":
        return assignee_organ(case)
    return None


def can_view_case(staff: Staff, case: Any) -> bool:
    """Whether the staff member may know of the case at all: see `visibility.case_access`."""
    from .visibility import can_view

    return can_view(staff, case)


def can_see_identity(staff: Staff, case: Any) -> bool:
    """Whether the staff member may read the case and the petitioner's identity (Art. 30(3))."""
    from .visibility import can_read

    return can_read(staff, case)


def refusal_for_actor(actor: Actor, case: Any, transition: Transition) -> str | None:
    """None if ``actor`` may perform ``transition`` on ``case``; otherwise the reason, in Chinese."""
    if isinstance(actor, SystemActor):
        return None if transition.system_only else f"“{transition.label}”须由工作人员办理"
    if isinstance(actor, PetitionerOnline):
        return None if transition.online else f"“{transition.label}”须由工作人员办理"
    if transition.system_only:
        return f"“{transition.label}”由系统在期间届满后自动办理"
    if not actor.has_role(*transition.roles):
        names = "、".join(Role(r).label for r in sorted(transition.roles))
        return f"只有{names}可以执行“{transition.label}”"
    kind = transition.actor_organ
    if kind == "superior":
        ok = actor.organ.oversees(case.organ) and actor.organ_id != case.organ_id
        return None if ok else f"“{transition.label}”须由{case.organ}的上级机关办理"
    if kind == "case_or_superior":  # Art. 18(2): a leader of the handling organ or of an organ above it
        ok = actor.organ.oversees(case.organ)
        return None if ok else f"“{transition.label}”须由{case.organ}或者其上级机关办理"
    if kind == "superior_bureau":
        ok = actor.organ.is_petition_bureau and actor.organ.oversees(case.organ)
        return None if ok else f"“{transition.label}”须由本级或上级信访部门办理"
    expected = acting_organ_for(case, transition)
    if expected is None or actor.organ_id != expected.pk:
        where = expected.name if expected else "有权机关"
        return f"“{transition.label}”须由{where}的工作人员办理"
    return None


def can_perform(actor: Actor, case: Any, transition: Transition) -> bool:
    return case.state in transition.sources and refusal_for_actor(actor, case, transition) is None
