"""Registration: never refused for who the petitioner is; refused only for input that must be corrected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from xinfang.audit.chain import sm3_hex
from xinfang.audit.models import Event
from xinfang.audit.services import record_event
from xinfang.lifecycle.context import SYSTEM, Actor
from xinfang.lifecycle.engine import start_case
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Organ, Role, Staff

from . import repeat_keys
from .digest import petition_digest
from .masking import PERSONAL_FIELDS, correction_index, mask
from .models import (
    MAX_REPRESENTATIVES,
    ORAL_CHANNELS,
    AccusedParty,
    Attachment,
    Channel,
    Matter,
    Petition,
    PetitionNumber,
    Representative,
)
from .validation import check_attachment, resident_id_error


@dataclass
class RepresentativeInput:
    name: str
    id_number: str = ""
    contact: str = ""


@dataclass
class AccusedInput:
    """Who a petition accuses: an organ, or a person with the organ the person works for."""

    organ_id: int | None = None
    person_name: str = ""
    person_organ_id: int | None = None


@dataclass
class UploadInput:
    name: str
    content: bytes | IO[bytes]


@dataclass
class PetitionInput:
    channel: str
    request: str
    region_code: str
    received_at: dt.datetime | None = None
    name: str = ""
    id_number: str = ""
    address: str = ""
    contact: str = ""
    facts: str = ""
    reasons: str = ""
    anonymous: bool = False
    collective: bool = False
    headcount: int | None = None
    representatives: list[RepresentativeInput] = field(default_factory=list)
    attachments: list[UploadInput] = field(default_factory=list)
    matter_id: int | None = None  # link a repeat petition to its existing matter
    summary: str = ""
    accusation: bool = False  # 检举、揭发、控告: confidential from registration (Art. 30(3))
    accused: list[AccusedInput] = field(default_factory=list)


def validate(
    data: PetitionInput, now: dt.datetime
) -> tuple[dict[str, list[str]], list[tuple[UploadInput, bytes, str]]]:
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.channel not in Channel.values:
        err("channel", "「渠道」须为网上信访、来信、来电、传真、来访或其他")
    if not data.request.strip():
        err("request", "「诉求」不能为空：请写明请求事项（《信访工作条例》第十九条第一款）")
    if len(data.region_code) != 6 or not data.region_code.isdigit():
        err("region_code", "「问题发生地」应为六位行政区划代码")
    if data.received_at and data.received_at > now + dt.timedelta(minutes=5):
        err("received_at", "「收到时间」不能晚于现在")
    id_error = resident_id_error(data.id_number)
    if id_error:
        err("id_number", id_error)
    if data.collective:
        if data.headcount is None or data.headcount < 2:
            err("headcount", "集体访须填写「人数」，且不少于2人")
        if len(data.representatives) > MAX_REPRESENTATIVES:
            err(
                "representatives",
                f"集体访推选的「代表」不得超过{MAX_REPRESENTATIVES}人（《信访工作条例》第二十条第三款）",
            )
    for index, rep in enumerate(data.representatives, start=1):
        if not rep.name.strip():
            err("representatives", f"第{index}位「代表」须填写姓名")
        rep_error = resident_id_error(rep.id_number)
        if rep_error:
            err("representatives", f"第{index}位代表：{rep_error}")
    files = []
    for upload in data.attachments:
        # The size before reading, then the first bytes, then the structure (a PDF that parses, an image that decodes).
        content, content_type, problem = check_attachment(upload.name, upload.content)
        if problem:
            err("attachments", problem)
        else:
            files.append((upload, content, content_type or ""))
    if data.matter_id is not None and not Matter.objects.filter(pk=data.matter_id).exists():
        err("matter_id", "所选的「信访事项」不存在")
    _validate_accused(data, err)
    return errors, files


def _validate_accused(data: PetitionInput, err: Callable[[str, str], None]) -> None:
    if data.accused and not data.accusation:
        err("accused", "填写了「被检举控告对象」，请同时勾选「检举、揭发、控告」")
    for index, item in enumerate(data.accused, start=1):
        organ_id = item.person_organ_id if item.person_name.strip() else item.organ_id
        if item.person_name.strip() and organ_id is None:
            organ_id = item.organ_id
        if organ_id is None:
            err("accused", f"第{index}个「被检举控告对象」须选择单位（被检举控告人须选择其所在单位）")
        elif not Organ.objects.filter(pk=organ_id).exists():
            err("accused", f"第{index}个「被检举控告对象」所选单位不存在")


def _accused_rows(petition: Petition, accused: list[AccusedInput]) -> list[AccusedParty]:
    rows = []
    for item in accused:
        person = item.person_name.strip()
        organ_id = (item.person_organ_id or item.organ_id) if person else item.organ_id
        assert organ_id is not None, "validate() refuses an accused without an organ"
        rows.append(AccusedParty(petition=petition, organ_id=organ_id, person_name=person))
    return rows


def _next_number(year: int) -> str:
    counter, _ = PetitionNumber.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"XF{year}{counter.last:07d}"


def register_petition(
    data: PetitionInput, *, organ: Organ, actor: Actor | None = None, now: dt.datetime | None = None
) -> Case:
    """Register a petition at ``organ`` and open its case (T1, T2), in one transaction.

    Anonymous petitions and petitions whose name or address is unclear are registered and flagged:
    only the written notice lapses (Art. 23(2)).
    """
    now = now or timezone.now()
    errors, files = validate(data, now)
    if errors:
        raise ValidationError(errors)
    received_at = data.received_at or now
    identity_unclear = not data.anonymous and (not data.name.strip() or not data.address.strip())
    with transaction.atomic():
        if data.matter_id is not None:
            matter = Matter.objects.get(pk=data.matter_id)
        else:
            matter = Matter.objects.create(
                summary=(data.summary or data.request).strip()[:200],
                region_code=data.region_code,
                created_at=now,
            )
        petition = Petition.objects.create(
            number=_next_number(timezone.localdate(received_at).year),
            channel=data.channel,
            received_at=received_at,
            receiving_organ=organ,
            registered_by=actor if isinstance(actor, Staff) else None,
            registered_at=now,
            matter=matter,
            is_repeat=data.matter_id is not None,
            name="" if data.anonymous else data.name.strip(),
            id_number="" if data.anonymous else data.id_number.strip().upper(),
            address="" if data.anonymous else data.address.strip(),
            contact="" if data.anonymous else data.contact.strip(),
            request=data.request.strip(),
            facts=data.facts.strip(),
            reasons=data.reasons.strip(),
            oral=data.channel in ORAL_CHANNELS,
            anonymous=data.anonymous,
            identity_unclear=identity_unclear,
            region_code=data.region_code,
            collective=data.collective,
            headcount=data.headcount if data.collective else None,
            accusation=data.accusation,
        )
        petition.search_text = petition.build_search_text()
        Petition.objects.filter(pk=petition.pk).update(search_text=petition.search_text)
        repeat_keys.store(petition, matter.summary)
        Representative.objects.bulk_create(
            Representative(petition=petition, name=r.name.strip(), id_number=r.id_number.strip(), contact=r.contact)
            for r in data.representatives
        )
        accused = _accused_rows(petition, data.accused)
        AccusedParty.objects.bulk_create(accused)
        if accused and petition.accused_organ_id is None:
            petition.accused_organ_id = accused[0].organ_id
            Petition.objects.filter(pk=petition.pk).update(accused_organ_id=petition.accused_organ_id)
        for upload, content, content_type in files:
            attachment = Attachment(
                petition=petition,
                original_name=upload.name[:200],
                content_type=content_type,
                size=len(content),
                sm3=sm3_hex(content),
                uploaded_at=now,
            )
            attachment.file.save(upload.name, ContentFile(content), save=False)
            attachment.save()
        actor_for_case: Actor = actor if actor is not None else SYSTEM
        return start_case(petition, organ, actor=actor_for_case, now=now)


# --- correcting a registration ------------------------------------------------------------------------

# What a correction may change, with the label the messages and the timeline use and the longest value.
CORRECTABLE: dict[str, tuple[str, int]] = {
    "name": ("姓名（名称）", 100),
    "id_number": ("证件号码", 30),
    "address": ("住址", 200),
    "contact": ("联系电话", 50),
    "request": ("诉求", 100_000),
    "facts": ("事实", 100_000),
    "reasons": ("理由", 100_000),
}
CORRECTION_ROLES = (Role.REGISTRAR, Role.TRIAGE_OFFICER)


class CorrectionRefused(Exception):
    """The person may not correct this registration; the message says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def correction_refusal(staff: Staff, case: Case) -> str | None:
    """None if ``staff`` may correct the registration of ``case``'s petition; otherwise why not.

    A registration is corrected where it was made, by the roles that register, and only by someone who may
    read the petition and its petitioner (Art. 30(3)).
    """
    if not staff.has_role(*CORRECTION_ROLES):
        return "更正登记内容需要“登记员”或“甄别分办员”角色"
    if staff.organ_id != case.petition.receiving_organ_id:
        return f"登记内容只能由登记机关（{case.petition.receiving_organ.name}）更正"
    if not can_read(staff, case):
        return "您无权查看这件信访件的内容"
    return None


def _correction_errors(petition: Petition, new: dict[str, str], reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["「更正理由」不能为空：请写明更正的原因（如：登记时笔误）"]
    for field_name, value in new.items():
        label, longest = CORRECTABLE[field_name]
        if len(value) > longest:
            errors.setdefault(field_name, []).append(f"「{label}」不能超过{longest}个字")
    if "request" in new and not new["request"]:
        errors.setdefault("request", []).append("「诉求」不能为空：请写明请求事项（《信访工作条例》第十九条第一款）")
    if new.get("id_number"):
        problem = resident_id_error(new["id_number"])
        if problem:
            errors.setdefault("id_number", []).append(problem)
    if petition.anonymous:
        for field_name in PERSONAL_FIELDS:
            if new.get(field_name):
                label = CORRECTABLE[field_name][0]
                errors.setdefault(field_name, []).append(f"匿名信访件不登记「{label}」，不能更正补填")
    if not errors and not new:
        errors["__all__"] = ["没有需要更正的内容：请修改至少一项登记内容"]
    return errors


def correct_registration(
    case: Case, staff: Staff, values: dict[str, str], reason: str, *, now: dt.datetime | None = None
) -> Event:
    """Correct typing errors in a registered petition, in one transaction with its event.

    ``values`` holds the fields as they should read (unchanged ones may be included). The event names each
    changed field with its old and new value (personal data masked, with a keyed index to confirm it) and
    records the petition's new digest, so that the chain covers the corrected text: the change is a new
    recorded digest, never a silent one, and `audit_verify` still verifies.
    """
    refusal = correction_refusal(staff, case)
    if refusal:
        raise CorrectionRefused(refusal)
    now = now or timezone.now()
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=case.petition_id)
        new = {}
        for field_name, raw in values.items():
            if field_name not in CORRECTABLE:
                raise ValueError(f"not a correctable field: {field_name}")
            value = raw.strip().upper() if field_name == "id_number" else raw.strip()
            if value != (getattr(petition, field_name) or ""):
                new[field_name] = value
        errors = _correction_errors(petition, new, reason)
        if errors:
            raise ValidationError(errors)
        payload: dict[str, Any] = {"correction_reason": reason.strip()}
        payload["corrected_fields"] = "、".join(CORRECTABLE[f][0] for f in new)
        for field_name, value in new.items():
            old = getattr(petition, field_name) or ""
            if field_name in PERSONAL_FIELDS:
                payload[f"{field_name}_old"] = mask(field_name, old)
                payload[f"{field_name}_new"] = mask(field_name, value)
                payload[f"{field_name}_old_index"] = correction_index(field_name, old)
                payload[f"{field_name}_new_index"] = correction_index(field_name, value)
            else:
                payload[f"{field_name}_old"], payload[f"{field_name}_new"] = old, value
            setattr(petition, field_name, value)
        unclear = not petition.anonymous and (not petition.name.strip() or not petition.address.strip())
        if unclear != petition.identity_unclear:
            petition.identity_unclear = unclear
            payload["identity_unclear"] = unclear
        petition.search_text = petition.build_search_text()
        petition.save()
        if {"request", "facts", "reasons"} & new.keys():
            repeat_keys.store(petition, petition.matter.summary)
        return record_event(
            action="correct_registration",
            at=now,
            actor=staff.user,
            actor_label=str(staff),
            organ=staff.organ,
            case_id=case.pk,
            petition_id=petition.pk,
            from_state=case.state,
            to_state=case.state,
            payload=payload,
            petition_digest=petition_digest(petition),
        )
