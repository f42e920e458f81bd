"""Reads over petitions: full-text search and repeat hints."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from xinfang.crypto.blind import candidates, normalise_id_number, normalise_phone
from xinfang.crypto.fields import active_keyring
from xinfang.org.models import Organ

from .models import AccusedParty, Petition

MIN_INDEXED = 3  # trigram indexes need three characters; shorter queries scan


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def matching_petition_ids(text: str) -> RawSQL | None:
    """A subquery of petition ids whose text contains ``text``, through the full-text index."""
    text = text.strip()
    if len(text) < MIN_INDEXED or connection.vendor != "sqlite":
        return None
    return RawSQL("SELECT rowid FROM intake_petition_fts WHERE intake_petition_fts MATCH %s", [_fts_phrase(text)])


def text_filter(text: str, prefix: str = "") -> Q:
    """A filter for petitions (or rows pointing at them through ``prefix``) whose text contains ``text``."""
    text = text.strip()
    ids = matching_petition_ids(text)
    if ids is not None:
        return Q(**{f"{prefix}pk__in": ids})
    # PostgreSQL: ILIKE is served by the pg_trgm GIN index for three characters or more.
    return Q(**{f"{prefix}search_text__icontains": text})


def search(text: str) -> QuerySet[Petition]:
    return Petition.objects.filter(text_filter(text))


def repeat_candidates(
    *, id_number: str = "", name: str = "", contact: str = "", text: str = "", limit: int = 8
) -> list[Petition]:
    """Earlier petitions that may be the same matter: same person, or very similar text."""
    found: dict[int, Petition] = {}
    person = Q()
    # The ID number and phone are encrypted: the same person is found through their blind indexes, under
    # every key of the ring so that rows a rotation has not reached yet are found too.
    ring = active_keyring()
    by_id = candidates(ring, "id_number", normalise_id_number(id_number))
    if by_id:
        person |= Q(id_number_index__in=by_id)
    by_phone = candidates(ring, "phone", normalise_phone(contact))
    if name.strip() and by_phone:
        person |= Q(name=name.strip(), contact_index__in=by_phone)
    if person:
        for petition in Petition.objects.filter(person).select_related("matter").order_by("-received_at")[:limit]:
            found[petition.pk] = petition
    snippet = "".join(text.split())[:12]
    if len(snippet) >= 6 and len(found) < limit:
        # A distinctive stretch of the request: the same words in an earlier petition are a strong hint.
        for piece in {snippet[:6], snippet[-6:]}:
            query = Petition.objects.filter(text_filter(piece)).select_related("matter").order_by("-received_at")
            for petition in query[:limit]:
                found.setdefault(petition.pk, petition)
    return list(found.values())[:limit]


def accused_organs(petition: Petition) -> list[Organ]:
    """Every organ accused, or employing an accused person: none of them may learn of it (Art. 30(3))."""
    parties = AccusedParty.objects.filter(petition=petition).select_related("organ")
    organs = {party.organ_id: party.organ for party in parties}
    if petition.accused_organ_id is not None and petition.accused_organ_id not in organs:
        organs[petition.accused_organ_id] = petition.accused_organ  # type: ignore[assignment]
    return list(organs.values())
