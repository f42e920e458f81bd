"""转送单 and 交办单: what a sending organ prints for a case it transferred or assigned.

A slip carries what the receiving organ gets anyway: the petition's number, request, facts and reasons, the place,
and the petitioner's name, address and phone only if both the person printing and the receiving organ may see
them (`lifecycle.visibility`, Art. 30(3)). It never carries the ID number or whom a petition accuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case, Clock
from xinfang.lifecycle.selectors import petitioner_for
from xinfang.lifecycle.states import Via
from xinfang.lifecycle.table import BY_NAME
from xinfang.lifecycle.visibility import Access, case_access
from xinfang.org.models import Organ, Staff

# The way a case was opened at the receiving organ, the transition that did it, and the slip's title.
ROUTES = {Via.TRANSFER: ("transfer", "信访事项转送单"), Via.ASSIGNMENT: ("assign", "信访事项交办单")}


@dataclass(frozen=True)
class Slip:
    title: str
    verb: str  # 转送 or 交办
    child: Case
    sender: Organ
    receiver: Organ
    sent_at: dt.datetime | None
    basis: str
    step: str
    identity: bool
    name: str
    address: str
    contact: str
    report_due: dt.date | None
    days: int | None


def _routed(case: Case) -> list[Case]:
    children = case.children.filter(via__in=list(ROUTES)).select_related("organ", "petition")
    return list(children.order_by("pk"))


def slips_of(staff: Staff, case: Case) -> list[tuple[int, str, str]]:
    """(child id, 转送单 or 交办单, receiving organ) for each case this one sent on, for a user who reads it."""
    if case_access(staff, case) < Access.FULL:
        return []
    return [(child.pk, ROUTES[Via(child.via)][1].removeprefix("信访事项"), child.organ.name) for child in _routed(case)]


def slip_for(staff: Staff, case: Case, child_id: int) -> Slip | None:
    if case_access(staff, case) < Access.FULL:
        return None
    child = next((c for c in _routed(case) if c.pk == child_id), None)
    if child is None:
        return None
    name, title = ROUTES[Via(child.via)]
    transition = BY_NAME[name]
    events = Event.objects.filter(case_id=case.pk, action=name, payload__target_organ__id=child.organ_id)
    event = events.order_by("-seq").first()
    receiver_view = Staff(organ=child.organ)  # the receiving organ, as visibility sees it
    shown = petitioner_for(staff, case)
    identity = not shown.masked and case_access(receiver_view, child) == Access.FULL and not case.petition.anonymous
    report = Clock.objects.filter(rule="assignment_report", case__in=[case, child], organ=child.organ).first()
    days = event.payload.get("days") if event is not None else None
    return Slip(
        title=title,
        verb=transition.label,
        child=child,
        sender=case.organ,
        receiver=child.organ,
        sent_at=event.at if event is not None else None,
        basis=transition.basis_for(case.organ.region_code),
        step=transition.step,
        identity=identity,
        name=shown.name if identity else "",
        address=shown.address if identity else "",
        contact=shown.contact if identity else "",
        report_due=report.legal_last_day if report is not None and name == "assign" else None,
        days=int(days) if isinstance(days, int | str) and str(days).isdigit() else None,
    )
