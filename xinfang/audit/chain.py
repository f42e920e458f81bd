"""Canonical serialisation and SM3 hashing for the event chain and the petition content it covers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _default(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def canonical(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default).encode()


def normalise(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload exactly as it will read back from a JSON column."""
    result: dict[str, Any] = json.loads(canonical(payload))
    return result


def event_hash(fields: Mapping[str, Any]) -> str:
    return sm3_hex(canonical(fields))
