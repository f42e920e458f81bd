"""Reads for the workspace pages, each scoped to the user through `xinfang.lifecycle.visibility`."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from typing import Any

from django.db.models import Q, QuerySet

from xinfang.crypto.blind import candidates, normalise_id_number, normalise_phone
from xinfang.crypto.fields import active_keyring
from xinfang.deadlines.selectors import organ_rules
from xinfang.intake.selectors import text_filter
from xinfang.lifecycle.models import Case, Clock, ClockStatus
from xinfang.lifecycle.selectors import available_transitions, my_queue
from xinfang.lifecycle.states import NON_TERMINAL
from xinfang.lifecycle.visibility import readable_cases, visible_cases
from xinfang.org.models import Level, Organ, Staff

NUMBER = re.compile(r"^XF\d{6,}$", re.IGNORECASE)
ID_NUMBER = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
PHONE = re.compile(r"^[\d\-() ]{7,20}$")


def actionable_now(staff: Staff, limit: int = 20) -> list[Case]:
    """Cases waiting for the user's organ on which one of the user's roles can take a step now."""
    return [case for case in my_queue(staff, limit=limit * 5) if available_transitions(staff, case)][:limit]


def organ_queue(staff: Staff) -> QuerySet[Case]:
    """Every open case waiting for the user's organ, whoever's turn it is."""
    return visible_cases(staff).filter(acting_organ=staff.organ, state__in=NON_TERMINAL)


def subtree_overdue(staff: Staff, today: dt.date, limit: int = 100) -> list[Clock]:
    """Running duties past their legal last day on every case the user may know of (the subtree overseen)."""
    return list(
        Clock.objects.filter(
            case__in=visible_cases(staff).values("pk"),
            status=ClockStatus.RUNNING,
            rule__in=organ_rules("duty"),
            legal_last_day__lt=today,
        )
        .select_related("case__petition", "organ")
        .order_by("legal_last_day")[:limit]
    )


def search_terms(text: str) -> list[str]:
    """Words and "quoted phrases" of a query; an unbalanced quote counts as a plain character."""
    text = text.replace("“", '"').replace("”", '"').replace("　", " ")
    try:
        terms = shlex.split(text)
    except ValueError:
        terms = text.replace('"', " ").split()
    return [t.strip() for t in terms if t.strip()]


def _term_filter(term: str, identity: bool) -> Q:
    found = text_filter(term, prefix="petition__")
    if NUMBER.match(term):
        found |= Q(petition__number__iexact=term)
    if identity:
        ring = active_keyring()
        found |= Q(petition__name=term)
        if ID_NUMBER.match(term):
            found |= Q(petition__id_number_index__in=candidates(ring, "id_number", normalise_id_number(term)))
        if PHONE.match(term) and sum(c.isdigit() for c in term) >= 7:
            found |= Q(petition__contact_index__in=candidates(ring, "phone", normalise_phone(term)))
    return found


def search_cases(staff: Staff, text: str) -> QuerySet[Case]:
    """Cases whose content the user may read that match every term: in the text, by number, or by identity.

    Only `readable_cases` is searched, so that neither an accusation's words nor the accuser's name, ID number
    or phone can be found by someone who may not read them (Art. 30(3)); inside those cases the user may see
    the petitioner's identity (`permissions.can_see_identity` is the same FULL access), so it is searched too.
    """
    cases = readable_cases(staff)
    for term in search_terms(text):
        cases = cases.filter(_term_filter(term, identity=True))
    return cases


def filter_organs(staff: Staff) -> QuerySet[Organ]:
    """The organs the list can be filtered by: the user's scope without the villages (村、社区), hundreds of
    entries that made the list page slow and the choice hard; 发生地 and the search still find their cases."""
    organs = Organ.objects.filter(path__startswith=staff.organ.scope_path).exclude(level=Level.VILLAGE)
    return organs.order_by("path")


def related_events(staff: Staff, case: Case) -> Any:
    """The events of the case and of its parent and children that the user may read."""
    from xinfang.audit.models import Event

    related = [*([case.parent_id] if case.parent_id else []), *case.children.values_list("pk", flat=True)]
    readable = set(readable_cases(staff).filter(pk__in=related).values_list("pk", flat=True))
    return Event.objects.filter(case_id__in=[case.pk, *readable]).select_related("organ").order_by("seq")


def receipt_offer(staff: Staff, case: Case) -> dict[str, bool] | None:
    """Whether this user may print a receipt with a query code for this case, and whether one exists already.

    Offered at the receiving organ to the roles that register, for a letter or a visit (an online petition gets
    its code on the portal), and only to users who may read the case (they check the petitioner's identity).
    """
    from xinfang.intake.models import Channel
    from xinfang.lifecycle.visibility import can_read
    from xinfang.portal.models import QueryCode

    from .menu import may_register

    petition = case.petition
    desk = (Channel.LETTER, Channel.VISIT, Channel.LEADER_RECEPTION)
    if petition.channel not in desk or staff.organ_id != petition.receiving_organ_id:
        return None
    if not may_register(staff) or not can_read(staff, case):
        return None
    return {"exists": QueryCode.objects.filter(petition=petition).exists()}
