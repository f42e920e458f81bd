"""Appending to the event chain. Call inside the transaction that makes the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from .chain import event_hash, normalise
from .models import GENESIS, ChainHead, Event


def hashed_fields(event: Event) -> dict[str, Any]:
    """The fields an event's hash covers (everything but the hash itself)."""
    return {
        "seq": event.seq,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organ_id": event.organ_id,
        "case_id": event.case_id,
        "petition_id": event.petition_id,
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "basis": event.basis,
        "payload": event.payload,
        "petition_digest": event.petition_digest,
        "prev": event.prev_hash,
    }


def record_event(
    *,
    action: str,
    at: dt.datetime,
    actor: Any = None,
    actor_label: str = "",
    organ: Any = None,
    organ_id: int | None = None,
    case_id: int | None = None,
    petition_id: int | None = None,
    from_state: str = "",
    to_state: str = "",
    basis: str = "",
    payload: Mapping[str, Any] | None = None,
    petition_digest: str = "",
) -> Event:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction that makes the change")
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = ChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS)
    event = Event(
        seq=head.last_seq + 1,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or (str(actor) if actor else "系统"),
        organ_id=organ.pk if organ is not None else organ_id,
        case_id=case_id,
        petition_id=petition_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        basis=basis,
        payload=normalise(payload or {}),
        petition_digest=petition_digest,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(hashed_fields(event))
    event.save(force_insert=True)
    ChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event
