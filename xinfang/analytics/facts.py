"""The facts of a day range, derived from the event chain and the clocks it materialised.

Each function yields ``Row`` tuples for the days ``start``..``end`` (inclusive). Whether a period is settled
depends on ``today``: a period still running is counted as late only once its legal last day has passed,
and a paused period (Art. 36(2) hearing) is never late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.deadlines.days import day_bounds
from xinfang.lifecycle.models import Case, Clock, ClockStatus
from xinfang.lifecycle.states import TERMINAL, State
from xinfang.portal.models import Aspect, Level, Rating

# Handling is concluded once the opinion is issued (Art. 32(1)); every later state is concluded too.
CONCLUDED = frozenset(TERMINAL) | {
    State.OPINION_ISSUED,
    State.OPINION_DELIVERED,
    State.REVIEW_REQUESTED,
    State.REVIEW_DELIVERED,
    State.RE_REVIEW_REQUESTED,
    State.RE_REVIEW_HEARING,
}
SATISFIED = frozenset({Level.SATISFIED.label, Level.BASICALLY.label})
EVENT_ACTIONS = ("serve_opinion", "rate", "decide_review", "issue_re_review_opinion")
# The review / re-review opinion's item 是否撤销或者变更原意见 (review_opinion / re_review_opinion files).
CHANGED = "是"
UNSETTLED = (ClockStatus.EXTENDED, ClockStatus.CANCELLED, ClockStatus.LAPSED)


class Row(NamedTuple):
    day: dt.date
    key: str
    case_id: int
    organ_id: int
    category: str
    region_code: str
    channel: str
    value: int = 0


class Dims(NamedTuple):
    organ_id: int
    category: str
    region_code: str
    channel: str


class Cases(NamedTuple):
    """Derive every fact of these cases, whatever its day (the nightly increment), instead of a day range."""

    ids: tuple[int, ...]


def _days(qs: Any, field: str, start: dt.date | Cases, end: dt.date | None) -> Any:
    """``qs`` restricted to the day range on a date column, or to the cases (``case`` is the case column)."""
    if isinstance(start, Cases):
        return qs.filter(**{f"{_case_column(qs)}__in": start.ids})
    return qs.filter(**{f"{field}__range": (start, end)})


def _moments(qs: Any, field: str, start: dt.date | Cases, end: dt.date | None) -> Any:
    """The same on a timestamp column: the local days ``start``..``end``."""
    if isinstance(start, Cases):
        return qs.filter(**{f"{_case_column(qs)}__in": start.ids})
    assert end is not None
    first, after = day_bounds(start, end)
    return qs.filter(**{f"{field}__gte": first, f"{field}__lt": after})


def _case_column(qs: Any) -> str:
    return "pk" if qs.model is Case else "case_id"


def case_dims(case_ids: Iterable[int]) -> dict[int, Dims]:
    ids = sorted(set(case_ids))
    rows = Case.objects.filter(pk__in=ids).values_list(
        "pk", "organ_id", "category", "petition__region_code", "petition__channel"
    )
    return {pk: Dims(organ, cat, region, channel) for pk, organ, cat, region, channel in rows}


def _organ_clocks() -> Any:
    return Clock.objects.filter(party="organ").exclude(status__in=UNSETTLED)


def clock_rows(start: dt.date | Cases, end: dt.date | None, today: dt.date) -> Iterator[Row]:
    """clock_due / clock_on_time / clock_late on the legal last day; clock_days on the day a period was met."""
    fields = ("case_id", "organ_id", "rule", "status", "start", "stopped_on", "legal_last_day")
    due = list(_days(_organ_clocks(), "legal_last_day", start, end).values_list(*fields))
    met = list(_days(_organ_clocks().filter(status=ClockStatus.MET), "stopped_on", start, end).values_list(*fields))
    dims = case_dims([c[0] for c in due + met])
    for case_id, organ_id, rule, status, _begun, stopped, last in due:
        d = dims[case_id]
        on_time = status == ClockStatus.MET and stopped is not None and stopped <= last
        late = (status == ClockStatus.MET and not on_time) or (status == ClockStatus.RUNNING and last < today)
        if not (on_time or late):
            continue  # still running (or paused) and not yet past its legal last day
        base = (case_id, organ_id, d.category, d.region_code, d.channel)
        yield Row(last, f"clock_due:{rule}", *base)
        yield Row(last, f"clock_{'on_time' if on_time else 'late'}:{rule}", *base)
    for case_id, organ_id, rule, _status, begun, stopped, _last in met:
        d = dims[case_id]
        yield Row(
            stopped,
            f"clock_days:{rule}",
            case_id,
            organ_id,
            d.category,
            d.region_code,
            d.channel,
            (stopped - begun).days,
        )


def _row(day: dt.date, key: str, case_id: int, d: Dims, organ_id: int | None = None) -> Row:
    return Row(day, key, case_id, organ_id or d.organ_id, d.category, d.region_code, d.channel)


def case_rows(start: dt.date | Cases, end: dt.date | None) -> Iterator[Row]:
    """petition / repeat on the day received (first case only); accepted / concluded on the day accepted."""
    received = _moments(Case.objects.filter(parent=None), "received_at", start, end)
    petitions = list(received.values_list("pk", "received_at", "petition__is_repeat"))
    dims = case_dims(pk for pk, _, _ in petitions)
    for pk, at, repeat in petitions:
        day = timezone.localdate(at)
        yield _row(day, "petition", pk, dims[pk])
        if repeat:
            yield _row(day, "repeat", pk, dims[pk])
    accepted = _moments(Case.objects.exclude(accepted_at=None), "accepted_at", start, end)
    rows = list(accepted.values_list("pk", "accepted_at", "state"))
    dims = case_dims(pk for pk, _, _ in rows)
    for pk, accepted_at, state in rows:
        day = timezone.localdate(accepted_at)
        yield _row(day, "accepted", pk, dims[pk])
        if state in CONCLUDED:
            yield _row(day, "concluded", pk, dims[pk])


def _events(
    actions: Iterable[str], start: dt.date | Cases, end: dt.date | None
) -> list[tuple[int, int | None, dt.datetime, Any]]:
    found = _moments(Event.objects.filter(action__in=list(actions)), "at", start, end).exclude(case_id=None)
    rows = found.values_list("case_id", "organ_id", "at", "payload")
    return [(case_id, organ_id, at, payload) for case_id, organ_id, at, payload in rows if case_id is not None]


def event_rows(start: dt.date | Cases, end: dt.date | None) -> Iterator[Row]:
    """served (rated, reviewed), result ratings (satisfied), review and re-review opinions (changed)."""
    served = _events(["serve_opinion"], start, end)
    rated = _events(["rate"], start, end)
    decided = _events(["decide_review", "issue_re_review_opinion"], start, end)
    dims = case_dims(c for c, *_ in served + rated + decided)
    served_ids = [c for c, *_ in served]
    with_rating = set(
        Rating.objects.filter(case_id__in=served_ids, aspect=Aspect.RESULT).values_list("case_id", flat=True)
    )
    reviewed = set(
        Event.objects.filter(case_id__in=served_ids, action="request_review").values_list("case_id", flat=True)
    )
    for case_id, _organ, at, _payload in served:
        day, d = timezone.localdate(at), dims[case_id]
        yield _row(day, "served", case_id, d)
        if case_id in with_rating:
            yield _row(day, "served_rated", case_id, d)
        if case_id in reviewed:
            yield _row(day, "served_reviewed", case_id, d)
    for case_id, organ, at, payload in rated:
        if payload.get("aspect") != Aspect.RESULT.label:
            continue
        day, d = timezone.localdate(at), dims[case_id]
        yield _row(day, "rated", case_id, d, organ)
        if payload.get("level") in SATISFIED:
            yield _row(day, "rated_satisfied", case_id, d, organ)
    for case_id, organ, at, payload in decided:
        day, d = timezone.localdate(at), dims[case_id]
        yield _row(day, "decided", case_id, d, organ)
        if payload.get("changed") == CHANGED:
            yield _row(day, "decided_changed", case_id, d, organ)


def follow_up_rows(start: dt.date | Cases, end: dt.date | None) -> Iterator[Row]:
    """follow_up_due on the day of a 不满意 rating; follow_up_done once its 回访 is recorded."""
    ratings = _moments(Rating.objects.filter(level=Level.UNSATISFIED), "created_at", start, end)
    rows = list(ratings.values_list("case_id", "organ_id", "created_at", "follow_up__recorded_at"))
    dims = case_dims(c for c, *_ in rows)
    for case_id, organ, at, recorded in rows:
        day, d = timezone.localdate(at), dims[case_id]
        yield _row(day, "follow_up_due", case_id, d, organ)
        if recorded is not None:
            yield _row(day, "follow_up_done", case_id, d, organ)


def rows_for(start: dt.date | Cases, end: dt.date | None, today: dt.date) -> Iterator[Row]:
    yield from clock_rows(start, end, today)
    yield from case_rows(start, end)
    yield from event_rows(start, end)
    yield from follow_up_rows(start, end)
