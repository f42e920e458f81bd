"""Writes from the public portal: online submission, ratings, review requests; follow-ups by staff.

Each is one transaction with its event in the audit chain.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle.context import PETITIONER_ONLINE, PetitionerOnline, Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.permissions import acting_organ_for
from xinfang.lifecycle.table import BY_NAME
from xinfang.org.models import Organ, Staff

from . import codes
from .models import Aspect, FollowUp, Level, QueryCode, Rating

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed from paper


class PortalRefused(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def new_query_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def submit_online(data: PetitionInput, organ: Organ, *, now: dt.datetime | None = None) -> tuple[Case, str]:
    """Register an online petition at the organ the petitioner chose, and give it a query code.

    Returns the case and the clear code, which is shown once on the receipt and stored only as a hash.
    """
    now = now or timezone.now()
    code = new_query_code()
    code_hash = codes.hash_code(code)
    # One transaction: a crash never leaves a registered online petition without the code of its receipt.
    with transaction.atomic():
        case = register_petition(data, organ=organ, actor=PETITIONER_ONLINE, now=now)
        QueryCode.objects.create(petition=case.petition, code_hash=code_hash, created_at=now)
    return case, code


def code_matches(petition_id: int, code: str) -> bool:
    stored = QueryCode.objects.filter(petition_id=petition_id).values_list("code_hash", flat=True).first()
    if stored is None:
        return False
    ok, renew = codes.matches(code, stored)
    if ok and renew:  # an older key of the ring, or the earlier password-hash format: store it as today's
        QueryCode.objects.filter(petition_id=petition_id, code_hash=stored).update(code_hash=codes.hash_code(code))
    return ok


def _rating_window() -> dt.timedelta:
    return dt.timedelta(days=settings.XINFANG_RATING_WINDOW_DAYS)


@transaction.atomic
def rate(
    case: Case,
    aspect: str,
    level: str,
    *,
    reason: str = "",
    opened_at: dt.datetime | None,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the petitioner's rating of one aspect, once, within the window after ``opened_at``.

    不满意 needs a reason and queues a follow-up (回访) for the organ that was rated.
    """
    now = now or timezone.now()
    if aspect not in Aspect.values:
        raise PortalRefused("「评价内容」须为受理情况或办理结果", field="aspect")
    if level not in Level.values:
        raise PortalRefused("请选择「评价」：满意、基本满意或不满意", field="level")
    if opened_at is None:
        raise PortalRefused(f"{Aspect(aspect).label}尚不能评价：相关环节还没有完成", field="aspect")
    if now > opened_at + _rating_window():
        last = timezone.localtime(opened_at + _rating_window())
        raise PortalRefused(f"{Aspect(aspect).label}的评价期限已于{last:%Y年%-m月%-d日}届满", field="aspect")
    if level == Level.UNSATISFIED and not reason.strip():
        raise PortalRefused("选择“不满意”时，请写明「不满意的原因」，以便回访", field="reason")
    if Rating.objects.select_for_update().filter(petition=case.petition_id, aspect=aspect).exists():
        raise PortalRefused(f"您已评价过{Aspect(aspect).label}，每项只能评价一次", field="aspect")
    rating = Rating.objects.create(
        petition_id=case.petition_id,
        case=case,
        organ=case.organ,
        aspect=aspect,
        level=level,
        reason=reason.strip(),
        created_at=now,
    )
    if level == Level.UNSATISFIED:
        FollowUp.objects.create(rating=rating, organ=case.organ, created_at=now)
    record_event(
        action="rate",
        at=now,
        actor=None,
        actor_label=str(PETITIONER_ONLINE),
        organ=case.organ,
        case_id=case.pk,
        petition_id=case.petition_id,
        basis="《信访工作条例》第二十一条第二款",
        payload={"aspect": Aspect(aspect).label, "level": Level(level).label, "reason": reason.strip()},
    )
    return rating


@transaction.atomic
def record_follow_up(
    follow_up: FollowUp, actor: Staff, *, outcome: str, note: str, now: dt.datetime | None = None
) -> FollowUp:
    now = now or timezone.now()
    follow_up = FollowUp.objects.select_for_update().select_related("rating__case").get(pk=follow_up.pk)
    if actor.organ_id != follow_up.organ_id:
        raise PortalRefused(f"只有{follow_up.organ.name}的工作人员可以登记这次回访")
    if follow_up.recorded_at is not None:
        raise PortalRefused("这次回访已经登记过")
    if not outcome:
        raise PortalRefused("请选择「回访结果」", field="outcome")
    if not note.strip():
        raise PortalRefused("请填写「回访情况」：何时、以何种方式联系、信访人的意见", field="note")
    follow_up.outcome, follow_up.note = outcome, note.strip()
    follow_up.recorded_by, follow_up.recorded_at = actor, now
    follow_up.save()
    record_event(
        action="record_follow_up",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=follow_up.rating.case_id,
        petition_id=follow_up.rating.petition_id,
        basis="《信访工作条例》第二十一条第二款",
        payload={"follow_up_outcome": follow_up.get_outcome_display(), "note": follow_up.note},
    )
    return follow_up


class OnlineRequester(PetitionerOnline):
    """The petitioner on the portal sending a request to ``organ``: the event names the organ that received it.

    Permissions treat it as the PETITIONER_ONLINE actor (it is one); only the organ the event records differs.
    """

    def __init__(self, organ: Organ) -> None:
        self.organ = organ  # type: ignore[assignment]  # NonStaffActor has none; this one names the receiver


def receiving_organ(case: Case, name: str) -> Organ | None:
    """The organ that receives the petitioner's review or re-review request (Art. 35, 36(1))."""
    return acting_organ_for(case, BY_NAME[name])


def request_online(case: Case, name: str, *, reasons: str, confirmed: bool, now: dt.datetime | None = None) -> Case:
    """The petitioner requests review or re-review on the portal, with reasons; received today (Art. 35, 36(1)).

    The reasons go into the event's payload; the event names the organ that received the request.
    """
    now = now or timezone.now()
    word = "复查" if name == "request_review" else "复核"
    if not reasons.strip():
        raise PortalRefused(f"请填写「请求{word}的理由」：写明您不服的事项和理由", field="reasons")
    if not confirmed:
        raise PortalRefused(f"请勾选确认后再提交{word}请求", field="confirm")
    organ = receiving_organ(case, name)
    actor = OnlineRequester(organ) if organ is not None else PETITIONER_ONLINE
    payload = {"received_on": timezone.localdate(now), "reasons": reasons.strip()}
    if organ is not None:
        payload["receiving_organ"] = organ.name
    try:
        return perform(case, name, actor, payload, now=now)
    except Refused as refusal:
        raise PortalRefused(refusal.message) from refusal


@transaction.atomic
def issue_query_code(case: Case, actor: Staff, *, reissue: bool = False, now: dt.datetime | None = None) -> str:
    """A query code for a letter or visit, given at the desk on the receipt (回执); a lost one replaced.

    Only the registering organ gives it (it holds the petitioner's identity to check); a new code makes the old
    one useless. Returns the clear code, shown once on the receipt and stored only as a hash (Art. 21(2)).
    """
    now = now or timezone.now()
    petition = case.petition
    if actor.organ_id != petition.receiving_organ_id:
        raise PortalRefused(f"查询码由收件机关{petition.receiving_organ.name}发放")
    existing = QueryCode.objects.select_for_update().filter(petition=petition).first()
    if existing is not None and not reissue:
        raise PortalRefused("这件信访已有查询码；信访人遗失的，请核对身份后补发")
    code = new_query_code()
    hashed = codes.hash_code(code)
    QueryCode.objects.update_or_create(petition=petition, defaults={"code_hash": hashed, "created_at": now})
    record_event(
        action="issue_query_code",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        case_id=case.pk,
        petition_id=petition.pk,
        basis="《信访工作条例》第二十一条第二款",
        payload={"reissued": existing is not None},
    )
    return code
