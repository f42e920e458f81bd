"""The petition content the event chain covers: a change outside the application breaks the chain.

The digest is over the plaintext: the encrypted fields (ID number, address, phone, the accused person's name)
are read decrypted, and the blind indexes are left out, so that encrypting existing rows (migration 0005) and
re-encrypting them under a new key (`rotate_field_key`) leave every digest, and so the chain, unchanged.
"""

from __future__ import annotations

from typing import Any

from xinfang.audit.chain import canonical, sm3_hex

COVERED_FIELDS = (
    "number",
    "channel",
    "received_at",
    "receiving_organ_id",
    "matter_id",
    "is_repeat",
    "name",
    "id_number",
    "address",
    "contact",
    "request",
    "facts",
    "reasons",
    "oral",
    "anonymous",
    "identity_unclear",
    "region_code",
    "collective",
    "headcount",
    "accused_organ_id",
)


def petition_digest(petition: Any) -> str:
    data = {name: getattr(petition, name) for name in COVERED_FIELDS}
    data["representatives"] = [[r.name, r.id_number, r.contact] for r in petition.representatives.order_by("pk")]
    data["attachments"] = [[a.original_name, a.size, a.sm3] for a in petition.attachments.order_by("pk")]
    # Added with the accusation question; left out when unset so that earlier digests still verify.
    if petition.accusation:
        data["accusation"] = True
    accused = [[a.organ_id, a.person_name] for a in petition.accused.order_by("pk")]
    if accused:
        data["accused"] = accused
    return sm3_hex(canonical(data))


def digest_by_id(petition_id: int) -> str | None:
    from .models import Petition

    petition = Petition.objects.filter(pk=petition_id).first()
    return None if petition is None else petition_digest(petition)
