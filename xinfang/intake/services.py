"""Registration: never refused for who the petitioner is; refused only for input that must be corrected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from xinfang.audit.chain import sm3_hex
from xinfang.lifecycle.context import SYSTEM, Actor
from xinfang.lifecycle.engine import start_case
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff

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
