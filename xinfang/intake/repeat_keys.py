"""The repeat keys of a petition's text (`RepeatKey`), kept with the petition in the same transaction.

Written at registration, on a correction of the text and when the petition joins another matter (its summary
is part of the text), by the service making that change; `index_repeats` writes them for petitions that have
none (a database restored from before the keys) or anew for all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from xinfang.textmining.features import Message
from xinfang.textmining.repeats import repeat_keys

from .models import Petition, RepeatKey

Progress = Callable[[int, int], None]  # (petitions done, petitions to do)


def text_of(summary: str, body: str) -> str:
    """The text the keys are taken from: the matter's summary as title, then the body (as triage reads it)."""
    return Message(summary, body).text


def keys_of(summary: str, body: str) -> list[tuple[int, int]]:
    """(key, weight) of a petition's text, distinct and in order."""
    return repeat_keys(text_of(summary, body))


def store(petition: Petition, summary: str) -> int:
    """Replace the petition's keys with those of its current text; the number of keys written."""
    RepeatKey.objects.filter(petition_id=petition.pk).delete()
    keys = keys_of(summary, petition.body_text())
    RepeatKey.objects.bulk_create(RepeatKey(key=k, petition_id=petition.pk) for k, _ in keys)
    return len(keys)


def rows(petition_id: int, summary: str, body: str) -> Iterable[RepeatKey]:
    """Unsaved keys for a petition, for writing many at once (`index_repeats`)."""
    return (RepeatKey(key=k, petition_id=petition_id) for k, _ in keys_of(summary, body))


def index_petitions(*, rebuild: bool = False, chunk: int = 2000, progress: Progress | None = None) -> int:
    """Write the keys of every petition that has none (or, with `rebuild`, of every petition), a chunk of
    petitions per transaction, in the order of registration; the number of petitions indexed."""
    petitions = (
        Petition.objects.all() if rebuild else Petition.objects.exclude(pk__in=RepeatKey.objects.values("petition_id"))
    )
    total = petitions.count()
    done, last = 0, 0
    while True:
        batch = list(
            petitions.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "matter__summary", "request", "facts", "reasons")[:chunk]
        )
        if not batch:
            return done
        with transaction.atomic():
            ids = [row[0] for row in batch]
            if rebuild:
                RepeatKey.objects.filter(petition_id__in=ids).delete()
            new: list[RepeatKey] = []
            for pk, summary, *parts in batch:
                new.extend(rows(pk, summary or "", "\n".join(p for p in parts if p)))
            RepeatKey.objects.bulk_create(new, batch_size=5000)
        done, last = done + len(batch), batch[-1][0]
        if progress:
            progress(done, total)
