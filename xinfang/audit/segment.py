"""Verify the part of the event chain that concerns one petition, without walking the whole chain.

Used by the public verification page: each event of the petition must hash to its stored hash, and must link
to the event before it, whose own hash is recomputed too. A break anywhere in this segment is named.
"""

from __future__ import annotations

from collections.abc import Iterable

from .chain import event_hash
from .models import GENESIS, Event
from .services import hashed_fields


def segment_problem(events: Iterable[Event]) -> int | None:
    """The sequence number of the first event of the segment that does not verify, or None."""
    own = sorted(events, key=lambda e: e.seq)
    if not own:
        return None
    before = {e.seq: e for e in Event.objects.filter(seq__in=[e.seq - 1 for e in own])}
    for event in own:
        if event_hash(hashed_fields(event)) != event.hash:
            return event.seq
        previous = before.get(event.seq - 1)
        if event.seq == 1:
            if event.prev_hash != GENESIS:
                return event.seq
        elif previous is None or previous.hash != event.prev_hash:
            return event.seq
        elif event_hash(hashed_fields(previous)) != previous.hash:
            return previous.seq
    return None
