"""Query codes at rest: a keyed HMAC-SM3 under the field key, not a password hash.

A query code is drawn by the system (8 characters of a 32-letter alphabet: 40 bits), never chosen by a person,
so a slow password hash buys nothing a secret key does not: without the key a stolen table cannot be tested
offline at all, and online guesses are limited per address and per number (`portal.throttle`). The slow hash
cost about half a second of CPU per submission and per check (bench/load.md).

Stored as ``hmac_sm3$<key id>$<hex>``. A code hashed under an older key of the ring still matches and is
re-hashed under the current key when it is next used; codes issued before this format (Django's password
hash) are checked as before and upgraded the same way.
"""

from __future__ import annotations

import hmac

from django.contrib.auth.hashers import check_password

from xinfang.crypto.blind import blind_index
from xinfang.crypto.fields import active_keyring

PREFIX = "hmac_sm3"
PURPOSE = "query_code"


def normalise_code(code: str) -> str:
    """As typed from paper: any case, with or without the hyphen or spaces."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else cleaned


def hash_code(code: str) -> str:
    key = active_keyring().current
    return f"{PREFIX}${key.key_id}${blind_index(key, PURPOSE, normalise_code(code))}"


def matches(code: str, stored: str) -> tuple[bool, bool]:
    """Whether the code matches the stored hash, and whether the stored hash should be renewed."""
    normalised = normalise_code(code)
    if not stored.startswith(PREFIX + "$"):
        return check_password(normalised, stored), True
    _, key_id, digest = stored.split("$", 2)
    ring = active_keyring()
    key = ring.by_id(key_id)
    if key is None or not normalised:
        return False, False
    ok = hmac.compare_digest(blind_index(key, PURPOSE, normalised), digest)
    return ok, ok and key is not ring.current
