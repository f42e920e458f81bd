"""The portal side of the demo: two petitions a visitor can look up with published codes, ratings with a
follow-up waiting in 区住建局's queue, and the re-review hearing results published from the demo's hearings."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.intake.models import Petition
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import State
from xinfang.portal.codes import hash_code
from xinfang.portal.models import HearingResult, QueryCode
from xinfang.portal.services import rate

# Public demo codes, printed by seed_demo and listed in the README: local use only.
DEMO_CODES = {
    "DEMO-2026": (State.OPINION_DELIVERED,),  # can download the opinion, rate it and request review
    "DEMO-2027": (State.INVESTIGATING, State.ACCEPTED, State.EXTENDED, State.TRANSFERRED),  # still in hand
}


def seed_portal(organs: list[object], now: dt.datetime) -> dict[str, str]:
    """Attach the demo codes; return {petition number: code} for the summary."""
    shown: dict[str, str] = {}
    cases = Case.objects.filter(organ__in=organs, petition__channel="online", confidential_accusation=False)
    for code, states in DEMO_CODES.items():
        case = (
            cases.filter(state__in=states, petition__query_code__isnull=True)
            .select_related("petition")
            .order_by("-received_at")
            .first()
        )
        if case is None:
            continue
        QueryCode.objects.create(petition=case.petition, code_hash=hash_code(code), created_at=now)
        shown[case.petition.number] = code
    _ratings(cases, now)
    _hearings(organs)
    return shown


def _ratings(cases: object, now: dt.datetime) -> None:
    """Recently served opinions: one rated 满意, one 不满意 with its follow-up still to be made."""
    delivered = (
        Case.objects.filter(pk__in=cases.values("pk"), state=State.OPINION_DELIVERED)  # type: ignore[attr-defined]
        .exclude(petition__query_code__isnull=False)
        .order_by("-updated_at")
    )
    for case, (level, reason) in zip(
        delivered[:2], [("satisfied", ""), ("unsatisfied", "补偿款计算依据没有说清楚，希望当面解释")], strict=False
    ):
        served = Event.objects.filter(case_id=case.pk, action="serve_opinion").order_by("-seq").first()
        if served is None or now - served.at > dt.timedelta(days=25):
            continue
        rate(case, "result", level, reason=reason, opened_at=served.at, now=served.at + dt.timedelta(days=1))


def _hearings(organs: list[object]) -> None:
    hearings = Event.objects.filter(action="end_re_review_hearing", organ__in=organs, petition_id__isnull=False)
    for event in hearings.select_related("organ").order_by("seq"):
        if event.organ is None or event.petition_id is None:
            continue
        petition = Petition.objects.select_related("matter").get(pk=event.petition_id)
        held = timezone.localdate(event.at)
        HearingResult.objects.create(
            organ=event.organ,
            held_on=held,
            subject=f"{petition.matter.summary[:40]}（复核）",
            conclusion=str(event.payload.get("conclusion", "")),
            published_on=held + dt.timedelta(days=3),
        )
