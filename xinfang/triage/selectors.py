"""Reads for triage suggestions. Cases are read only through `xinfang.lifecycle.visibility.readable_cases`."""

from __future__ import annotations

from django.db.models import QuerySet

from xinfang.crypto.blind import candidates, normalise_id_number
from xinfang.crypto.fields import active_keyring
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import TERMINAL
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ, Staff
from xinfang.rules.routing import Route, default_routing
from xinfang.textmining.features import Message

from .models import ClassifierModel, Suggestion


def case_message(case: Case) -> Message:
    """The text a suggestion reads: the matter's summary as title, the request, facts and reasons as body."""
    petition = case.petition
    body = "\n".join(p for p in (petition.request, petition.facts, petition.reasons) if p)
    return Message(case.matter.summary if case.matter_id else "", body)


def active_model() -> ClassifierModel | None:
    return ClassifierModel.objects.filter(active=True).first()


def next_version() -> int:
    last = ClassifierModel.objects.order_by("-version").values_list("version", flat=True).first()
    return (last or 0) + 1


def same_person_cases(case: Case, staff: Staff) -> QuerySet[Case]:
    """Readable cases of earlier petitions by the same person, found through the ID-number blind index."""
    keys = candidates(active_keyring(), "id_number", normalise_id_number(case.petition.id_number))
    if not keys:
        return readable_cases(staff).none()
    return (
        readable_cases(staff)
        .filter(petition__id_number_index__in=keys, received_at__lte=case.received_at)
        .exclude(petition_id=case.petition_id)
    )


def readable_among(staff: Staff, ids: list[int], case: Case) -> dict[int, Case]:
    """Of the proposed case ids, those the staff member may read, other than the case's own petition."""
    cases = readable_cases(staff).filter(pk__in=ids).exclude(petition_id=case.petition_id)
    return {c.pk: c for c in cases.select_related("petition", "matter")}


def confirmed_categories() -> list[tuple[Message, str]]:
    """(text, category) of closed cases whose category staff decided on a suggestion: the latest decision each."""
    decided = (
        Suggestion.objects.exclude(decided_label="")
        .filter(case__state__in=sorted(TERMINAL))
        .select_related("case__petition", "case__matter")
        .order_by("case_id", "-decided_at", "-pk")
    )
    latest: dict[int, tuple[Message, str]] = {}
    for suggestion in decided:
        latest.setdefault(suggestion.case_id, (case_message(suggestion.case), suggestion.decided_label))
    return [latest[k] for k in sorted(latest)]


def competent_organ(category: str, region_code: str) -> tuple[Organ | None, Route | None]:
    """The organ the routing table names for a content category where the problem arose (Art. 22(1)(ii)).

    The organ of the row's kind whose name carries the row's duty, in the region itself, else in the
    regions above it (district → city → province), the nearest first. (None, row) when no such organ exists.
    """
    route = default_routing().route(category, region_code) if category and region_code else None
    if route is None:
        return None, None
    for code in _region_and_above(region_code):
        organ = (
            Organ.objects.filter(kind=route.organ_kind, region_code=code, name__contains=route.duty)
            .order_by("path")
            .first()
        )
        if organ is not None:
            return organ, route
    return None, route


def _region_and_above(code: str) -> list[str]:
    """330102 → 330102, 330100, 330000 (GB/T 2260: province, city, county digits)."""
    codes = [code, f"{code[:4]}00", f"{code[:2]}0000"]
    return list(dict.fromkeys(codes))


def side_by_side(case: Case, other: Case) -> list[tuple[str, str, str]]:
    """(field, this case, the other case) rows for the comparison page: content only, no identity fields."""
    rows = [
        ("信访件编号", case.petition.number, other.petition.number),
        ("收到时间", f"{case.received_at:%Y-%m-%d}", f"{other.received_at:%Y-%m-%d}"),
        ("办理机关", case.organ.name, other.organ.name),
        ("事项摘要", case.matter.summary, other.matter.summary),
        ("诉求", case.petition.request, other.petition.request),
        ("事实", case.petition.facts or "—", other.petition.facts or "—"),
        ("理由", case.petition.reasons or "—", other.petition.reasons or "—"),
    ]
    return rows
