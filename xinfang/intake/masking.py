"""Personal data as an event may hold it: masked for the eye, and a keyed blind index to confirm a value.

An event payload is stored in clear (it is hashed into the chain), so a correction of a name, ID number, address or
phone records neither value: it records the masked value a clerk can recognise, and an HMAC-SM3 of the
normalised value under the field key (the same keyed hash as the blind indexes), with which someone holding the
old value and the key can confirm it, while the event alone reveals nothing.
"""

from __future__ import annotations

from xinfang.crypto.blind import blind_index, normalise_id_number, normalise_phone
from xinfang.crypto.fields import active_keyring

# The fields of a petition that hold personal data (Art. 30(3) protects the accuser's identity).
PERSONAL_FIELDS = ("name", "id_number", "address", "contact")

_NORMALISE = {"id_number": normalise_id_number, "contact": normalise_phone}


def mask(field: str, value: str) -> str:
    """A recognisable but not revealing form: 王*，110***********123X，138****0000，甲县城关镇****."""
    value = value.strip()
    if not value:
        return "（空）"
    if field == "name":
        return value[0] + "*" * max(len(value) - 1, 1)
    if field == "id_number":
        return value[:3] + "*" * max(len(value) - 7, 1) + value[-4:] if len(value) > 7 else "*" * len(value)
    if field == "contact":
        return value[:3] + "****" + value[-4:] if len(value) >= 8 else "*" * len(value)
    return value[:5] + "****" if len(value) > 5 else value[:1] + "****"


def correction_index(field: str, value: str) -> str:
    """The keyed HMAC-SM3 of a corrected value, with the key id (a rotation keeps old keys on the ring)."""
    key = active_keyring().current
    normalised = _NORMALISE.get(field, str.strip)(value)
    index = blind_index(key, f"correction.{field}", normalised)
    return f"{key.key_id}:{index}" if index else ""
