"""Reads, already scoped to what the user's organ and role may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.deadlines.selectors import organ_rules
from xinfang.org.models import Organ, Staff

from .models import Case, Clock, ClockStatus
from .permissions import can_see_identity
from .states import NON_TERMINAL
from .table import TABLE, Transition


def visible_cases(staff: Staff) -> QuerySet[Case]:
    """Cases the staff member may know of; their content only where `visibility.case_access` is FULL."""
    from .visibility import visible_cases as scoped

    return scoped(staff)


def actionable_states(staff: Staff) -> set[str]:
    """States in which some transition is open to one of the staff member's roles."""
    return {
        state
        for t in TABLE
        if t.sources and not t.system_only and staff.has_role(*t.roles)
        for state in t.sources
        if state in NON_TERMINAL
    }


def my_queue(staff: Staff, limit: int = 50) -> list[Case]:
    """Open cases waiting for the staff member's organ, in states where their roles can act."""
    states = actionable_states(staff)
    return list(
        Case.objects.filter(acting_organ=staff.organ, state__in=states)
        .select_related("petition__matter", "organ")
        .order_by("-updated_at")[:limit]
    )


def due_within(staff: Staff, days: int, today: dt.date | None = None, limit: int = 100) -> list[Clock]:
    """The organ's running duties whose due date falls in the next ``days`` days."""
    today = today or timezone.localdate()
    return list(
        Clock.objects.filter(
            organ=staff.organ,
            status=ClockStatus.RUNNING,
            rule__in=organ_rules("duty"),
            due__gte=today,
            due__lte=today + dt.timedelta(days=days),
        )
        .select_related("case__petition")
        .order_by("due")[:limit]
    )


def overdue(staff: Staff, today: dt.date | None = None, limit: int = 100) -> list[Clock]:
    """The organ's running duties past their legal last day (a lapsed window is not a breach)."""
    today = today or timezone.localdate()
    return list(
        Clock.objects.filter(
            organ=staff.organ, status=ClockStatus.RUNNING, rule__in=organ_rules("duty"), legal_last_day__lt=today
        )
        .select_related("case__petition")
        .order_by("legal_last_day")[:limit]
    )


MASK = "（保密）"


@dataclass(frozen=True)
class PetitionerView:
    """The petitioner as this staff member may see them: an accuser is masked outside the handling organ."""

    name: str
    id_number: str
    address: str
    contact: str
    masked: bool


def petitioner_for(staff: Staff, case: Case) -> PetitionerView:
    petition = case.petition
    if can_see_identity(staff, case):
        return PetitionerView(petition.name, petition.id_number, petition.address, petition.contact, masked=False)
    return PetitionerView(MASK, MASK, MASK, MASK, masked=True)


ORGAN_GUARDS = {
    "transfer": ("target_in_jurisdiction", "not_to_accused"),
    "assign": ("target_in_jurisdiction", "not_to_accused"),
    "route_political_legal": ("target_is_political_legal", "target_same_level"),
    "route_discipline": ("target_is_discipline", "discipline_has_authority", "not_to_accused"),
    "designate": ("target_below_actor", "not_to_accused"),
}


def target_choices(case: Case, transition_name: str, actor: object) -> list[Organ]:
    """Organs a case may be sent to by this transition: the guards of the table decide, not the page."""
    from .context import Context
    from .guards import GUARDS

    guards = ORGAN_GUARDS.get(transition_name, ())
    region = case.organ.region_code[:2]
    result = []
    for organ in Organ.objects.filter(region_code__startswith=region).exclude(pk=case.organ_id).order_by("path"):
        ctx = Context(case=case, actor=actor, payload={"target_organ": organ}, now=timezone.now())  # type: ignore[arg-type]
        if all(GUARDS[name](ctx) is None for name in guards):
            result.append(organ)
    return result


# Guards that depend only on the case, not on what the user types: checked before an action is offered.
PRECHECKED_GUARDS = frozenset(
    {
        "is_suggestion",
        "is_accusation",
        "is_grievance",
        "matter_is_final",
        "same_matter_pending_below",
        "at_petition_bureau",
        "not_petition_bureau",
        "received_by_transfer",
        "objection_in_time",
        "extension_unused",
        "handling_not_expired",
        "has_superior",
        "review_organ_has_superior",
        "window_lapsed",
        "report_submitted",
        "receipt_notice_running",
    }
)


def available_transitions(staff: Staff, case: Case) -> list[Transition]:
    """Exactly the transitions this user may take now on this case."""
    from .context import Context
    from .guards import GUARDS
    from .permissions import can_perform

    result = []
    for transition in TABLE:
        if not transition.sources or not can_perform(staff, case, transition):
            continue
        # A step that tells the petitioner is taken by issuing and serving its document (文书); the page offers
        # it directly only to record the Art. 23(2) exemption when the name or address is unclear.
        if transition.notice and not case.petition.notice_exempt:
            continue
        ctx = Context(case=case, actor=staff, payload={}, now=timezone.now())
        ctx.notes["transition"] = transition.name
        checks = [GUARDS[name] for name in transition.guards if name in PRECHECKED_GUARDS]
        if all(check(ctx) is None for check in checks):
            result.append(transition)
    return result


def receipt_notice_owed(case: Case) -> bool:
    """True while the written notice of Art. 23(2)-(3) is still owed on ``case``."""
    return case.clocks.filter(rule="receipt_notice", status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED]).exists()
