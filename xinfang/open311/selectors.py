"""What a partner may read: the status of the requests its organ's partner systems submitted, and nothing else.

Cases are read through `lifecycle.visibility`: a petition that accuses the partner's organ (or an organ inside it,
or a person working there) does not exist for the partner; a confidential accusation shows only open/closed with
neutral words. No response ever carries the petitioner's identity, the request's text or its location.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from xinfang.audit.models import Event
from xinfang.imports.models import ImportItem, ItemStatus, SourceKind
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import TERMINAL, State
from xinfang.lifecycle.visibility import is_accused, is_confidential
from xinfang.portal.selectors import STAGES, leading_case

from .catalogue import services
from .models import Partner

# Terminal for one organ's record but the matter goes on elsewhere.
PASSED_ON = frozenset({State.TRANSFERRED, State.ROUTED_POLITICAL_LEGAL, State.ROUTED_DISCIPLINE})
CLOSING = TERMINAL - PASSED_ON
CONFIDENTIAL_OPEN = "正在办理"
CONFIDENTIAL_CLOSED = "已办结"


@dataclass
class RequestStatus:
    service_request_id: str
    token: str
    status: str  # open | closed
    status_notes: str
    service_code: str
    service_name: str
    agency_responsible: str
    requested_datetime: dt.datetime
    updated_datetime: dt.datetime
    petition_id: int
    confidential: bool


def partner_items(partner: Partner) -> QuerySet[ImportItem]:
    """Items submitted through any partner system of the partner's organ."""
    return ImportItem.objects.filter(source__organ=partner.organ, source__kind=SourceKind.PARTNER_API)


def status_of(case: Case) -> tuple[str, str]:
    status = "closed" if case.state in CLOSING else "open"
    if is_confidential(case):
        return status, CONFIDENTIAL_CLOSED if status == "closed" else CONFIDENTIAL_OPEN
    return status, STAGES.get(State(case.state), "正在办理")


def request_status(partner: Partner, item: ImportItem) -> RequestStatus | None:
    """The public status of a verified item, or None if the partner may not know of it."""
    if item.petition is None or item.status != ItemStatus.VERIFIED:
        return None
    if is_accused(partner.organ, item.petition):
        return None
    case = leading_case(item.petition)
    status, notes = status_of(case)
    code = item.data.get("service_code", "")
    service = services().get(code)
    return RequestStatus(
        service_request_id=item.petition.number,
        token=item.external_id,
        status=status,
        status_notes=notes,
        service_code=code,
        service_name=service.name if service else "",
        agency_responsible="" if is_confidential(case) else case.acting_organ.name,
        requested_datetime=item.imported_at,
        updated_datetime=case.updated_at,
        petition_id=item.petition.pk,
        confidential=is_confidential(case),
    )


def find_requests(
    partner: Partner,
    *,
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    statuses: list[str] | None = None,
    limit: int = 1000,
) -> list[RequestStatus]:
    items = partner_items(partner).filter(status=ItemStatus.VERIFIED).select_related("petition")
    if ids is not None:
        items = items.filter(petition__number__in=ids)
    if service_codes:
        items = items.filter(data__service_code__in=service_codes)
    if start is not None:
        items = items.filter(imported_at__gte=start)
    if end is not None:
        items = items.filter(imported_at__lte=end)
    result = []
    for item in items.order_by("-imported_at", "-pk"):
        found = request_status(partner, item)
        if found is None:
            continue
        if statuses and found.status not in statuses:
            continue
        result.append(found)
        if len(result) >= limit:
            break
    return result


def token_item(partner: Partner, token: str) -> ImportItem | None:
    return partner_items(partner).select_related("petition").filter(external_id=token).first()


def updates_for(found: RequestStatus, start: dt.datetime, end: dt.datetime | None) -> list[dict[str, object]]:
    """Each change of state of one request's cases in the window, in the words of `status_of`."""
    events = Event.objects.filter(petition_id=found.petition_id, at__gte=start).exclude(to_state="")
    if end is not None:
        events = events.filter(at__lte=end)
    rows = []
    for event in events.order_by("seq"):
        status = "closed" if event.to_state in CLOSING else "open"
        if found.confidential:
            notes = CONFIDENTIAL_CLOSED if status == "closed" else CONFIDENTIAL_OPEN
        else:
            notes = STAGES.get(State(event.to_state), "正在办理")
        rows.append(
            {
                "update_id": str(event.seq),
                "service_request_id": found.service_request_id,
                "status": status,
                "updated_datetime": event.at,
                "description": notes,
                "media_url": "",
            }
        )
    return rows
