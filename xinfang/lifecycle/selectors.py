"""Reads, already scoped to what the user's organ and role may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.org.models import Staff

from .models import Case, Clock, ClockStatus
from .permissions import can_see_identity
from .states import NON_TERMINAL
from .table import TABLE


def visible_cases(staff: Staff) -> QuerySet[Case]:
    """Cases of the staff member's organ and every organ it oversees (a bureau: its government's)."""
    return Case.objects.filter(organ__path__startswith=staff.organ.scope_path)


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
        .select_related("petition")
        .order_by("-updated_at")[:limit]
    )


def due_within(staff: Staff, days: int, today: dt.date | None = None, limit: int = 100) -> list[Clock]:
    """Running clocks binding the staff member's organ whose due date falls in the next ``days`` days."""
    today = today or timezone.localdate()
    return list(
        Clock.objects.filter(
            organ=staff.organ, status=ClockStatus.RUNNING, due__gte=today, due__lte=today + dt.timedelta(days=days)
        )
        .select_related("case__petition")
        .order_by("due")[:limit]
    )


def overdue(staff: Staff, today: dt.date | None = None, limit: int = 100) -> list[Clock]:
    """Running clocks binding the staff member's organ past their legal last day."""
    today = today or timezone.localdate()
    return list(
        Clock.objects.filter(organ=staff.organ, status=ClockStatus.RUNNING, legal_last_day__lt=today)
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
