"""Writes of the Open311 app: issuing a partner key, recording calls, and receiving a service request."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.imports.models import ImportItem, ImportSource, SourceKind
from xinfang.imports.services import receive_item
from xinfang.intake.models import Channel
from xinfang.org.models import Organ, Staff

from .models import ApiCall, Partner

PREFIX_LENGTH = 12


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_partner(
    *, name: str, organ: Organ, actor: Staff | None = None, hourly_limit: int = 600, now: dt.datetime | None = None
) -> tuple[Partner, str]:
    """Register a partner system and return it with its key; the key is never stored and cannot be shown again."""
    now = now or timezone.now()
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        source = ImportSource.objects.create(
            organ=organ,
            name=f"Open311：{name}",
            kind=SourceKind.PARTNER_API,
            channel=Channel.ONLINE,
            default_region_code=organ.region_code,
            created_at=now,
        )
        partner = Partner.objects.create(
            name=name,
            organ=organ,
            source=source,
            key_prefix=key[:PREFIX_LENGTH],
            key_hash=key_hash(key),
            hourly_limit=hourly_limit,
            created_at=now,
        )
        record_event(
            action="open311_partner_created",
            at=now,
            actor=actor.user if actor else None,
            actor_label=str(actor) if actor else "系统",
            organ=organ,
            payload={"partner": partner.pk, "name": name},
        )
    return partner, key


def partner_for_key(key: str) -> Partner | None:
    partner = (
        Partner.objects.select_related("organ", "source").filter(key_prefix=key[:PREFIX_LENGTH], active=True).first()
    )
    if partner is None or not hmac.compare_digest(partner.key_hash, key_hash(key)):
        return None
    return partner


def record_call(partner: Partner | None, method: str, path: str, status: int, now: dt.datetime | None = None) -> None:
    ApiCall.objects.create(partner=partner, at=now or timezone.now(), method=method, path=path[:200], status=status)


def submit_request(partner: Partner, data: dict[str, str], now: dt.datetime | None = None) -> ImportItem:
    """A POSTed service request: it waits, with a token, for a triage officer to verify it into a petition."""
    return receive_item(partner.source, external_id=uuid.uuid4().hex, data=data, now=now)
