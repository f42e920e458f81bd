"""Blind indexes: a keyed HMAC-SM3 of a normalised value, so that equal values can be found without decrypting."""

from __future__ import annotations

import re

from .keys import FieldKey, KeyRing, hmac_sm3

_PHONE_NOISE = re.compile(r"[\s\-()（）]+")


def normalise_id_number(value: str) -> str:
    return value.strip().upper()


def normalise_phone(value: str) -> str:
    return _PHONE_NOISE.sub("", value.strip())


def blind_index(key: FieldKey, purpose: str, normalised: str) -> str:
    """The index of a normalised value; empty for an empty value. ``purpose`` separates the columns."""
    if not normalised:
        return ""
    return hmac_sm3(key.index, f"{purpose}|{normalised}".encode()).hex()


def candidates(ring: KeyRing, purpose: str, normalised: str) -> list[str]:
    """The index under every key of the ring, so that rows not yet re-keyed by a rotation are still found."""
    return [i for i in (blind_index(k, purpose, normalised) for k in ring.keys) if i]
