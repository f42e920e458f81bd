"""Reads for triage suggestions. Cases are read only through `xinfang.lifecycle.visibility.readable_cases`."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from xinfang.crypto.blind import candidates, normalise_id_number
from xinfang.crypto.fields import active_keyring
from xinfang.intake.models import RepeatKey
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import TERMINAL
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ, Staff
from xinfang.rules.routing import Route, default_routing
from xinfang.textmining.features import Message
from xinfang.textmining.repeats import repeat_keys

from .models import ClassifierModel, Suggestion


def case_message(case: Case) -> Message:
    """The text a suggestion reads: the matter's summary as title, the request, facts and reasons as body."""
    return Message(case.matter.summary if case.matter_id else "", case.petition.body_text())


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


# The petitions sharing the most repeat keys with a text are taken first (PROPOSED), then those with a case the
# staff member may read, at most RERANK of them, are scored on their current texts. Each key contributes only
# its PER_KEY newest petitions, so that a key shared by tens of thousands (a stock phrase, a letter sent by many)
# costs no more than a rare one: at most (28 + places named) × PER_KEY index entries a query, whatever the size
# of the database.
# A reworded copy shares many keys (7–17 of 28 on the tests' texts), so a key it loses to newer holders is made
# up by the others (bench/textmining.md, "shared repeat index").
PER_KEY = 200
PROPOSED = 300
RERANK = 50


def shared_keys_sql(table: str, weights: list[int]) -> str:
    """The query: per key its PER_KEY newest petitions (other than the asking one), then petitions by the summed
    weight of the keys they share, newest first among equals. `weights`: the weight of each key in turn (a
    constant of its subquery, so the table is read from its primary key index alone). Parameters: (key, petition)
    a key, then the limit. One form for PostgreSQL and SQLite (an ORDER BY … LIMIT subquery, wrapped, in a UNION)."""
    union = " UNION ALL ".join(
        f'SELECT petition_id, {int(weight)} AS weight FROM (SELECT petition_id FROM {table} WHERE "key" = %s '
        f"AND petition_id <> %s ORDER BY petition_id DESC LIMIT {PER_KEY}) AS k"
        for weight in weights
    )
    return (
        f"SELECT petition_id, SUM(weight) AS n FROM ({union}) AS hits "
        "GROUP BY petition_id ORDER BY n DESC, petition_id DESC LIMIT %s"
    )


def similar_petitions(text: str, exclude_petition: int) -> list[tuple[int, int]]:
    """(petition, weight of the keys shared) of the petitions whose texts share the most repeat keys with `text`,
    at most PROPOSED. Every petition, readable or not: callers filter through `readable_cases` before reading any."""
    keys = repeat_keys(text)
    if not keys:
        return []
    params: list[int] = []
    for key, _ in keys:
        params += [key, exclude_petition]
    table = connection.ops.quote_name(RepeatKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(shared_keys_sql(table, [weight for _, weight in keys]), [*params, PROPOSED])
        return [(int(p), int(n)) for p, n in cursor.fetchall()]


# What a possible repeat shows and is scored on: content, never the petitioner's identity (nor its decryption).
CONTENT_ONLY = (
    "received_at", "petition_id", "matter_id", "organ_id",
    "petition__number", "petition__request", "petition__facts", "petition__reasons",
    "matter__summary", "matter__final_at",
)  # fmt: skip


def similar_readable_cases(staff: Staff, case: Case, text: str) -> list[Case]:
    """Readable cases of other petitions whose texts share repeat keys with `text`, the most keys shared first,
    one case a petition (the newest the staff member may read), at most RERANK.

    What the staff member may not read is dropped before any text is loaded (Art. 30(3)), so a confidential
    accusation is never a candidate for someone the confidentiality rules exclude."""
    order = {petition: i for i, (petition, _) in enumerate(similar_petitions(text, case.petition_id))}
    readable = (
        readable_cases(staff).filter(petition_id__in=list(order)).order_by("-pk").values_list("pk", "petition_id")
    )
    newest: dict[int, int] = {}
    for pk, petition_id in readable:
        newest.setdefault(petition_id, pk)
    chosen = sorted(newest, key=order.__getitem__)[:RERANK]
    cases = Case.objects.filter(pk__in=[newest[p] for p in chosen]).select_related("petition", "matter")
    return sorted(cases.only(*CONTENT_ONLY), key=lambda c: order[c.petition_id])


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
