"""Writes of the quality review (评查): a reviewer samples or selects handled cases; each review is pre-filled
from the record (checks.py) and confirmed item by item. Each write is an event of the reviewing bureau."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Role, Staff
from xinfang.rules.checklists import default_checklist

from .checks import computed
from .models import Review, ReviewItem, Verdict

BASIS = "《信访工作条例》第三十八条第二款、第四十条第一款"
# The states after which a case's handling can be reviewed: the answer given, or the case ended.
REVIEWABLE = (
    "opinion_delivered",
    "review_delivered",
    "final",
    "closed_no_review",
    "closed",
    "settled",
    "duty_performance",
)


class ReviewRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require_reviewer(actor: Staff, case: Case) -> None:
    if not actor.has_role(Role.SUPERVISOR) or not actor.organ.is_petition_bureau:
        raise ReviewRefused("只有信访部门的督查员可以开展质量评查（《信访工作条例》第三十八条第二款）")
    if not actor.organ.oversees(case.organ) or not can_read(actor, case):
        raise ReviewRefused(f"案件{case.petition.number}不在{actor.organ.name}的评查范围内")
    if case.state not in REVIEWABLE:
        raise ReviewRefused(f"案件{case.petition.number}尚未办结，不能评查")


@transaction.atomic
def open_reviews(cases: Iterable[Case], actor: Staff, *, batch: str, now: dt.datetime | None = None) -> list[Review]:
    """A batch of reviews, each pre-filled from the case's record."""
    now = now or timezone.now()
    ids = [case.pk for case in cases]
    stored = Case.objects.select_related("petition", "organ").in_bulk(ids)
    chosen = [stored[pk] for pk in ids if pk in stored]  # as stored now, not as the caller last saw them
    if not batch.strip():
        raise ReviewRefused("请填写「评查批次」")
    if not chosen:
        raise ReviewRefused("请至少选择一件已办结的案件")
    version = default_checklist().version_on(timezone.localdate(now))
    reviews = []
    for case in chosen:
        _require_reviewer(actor, case)
        review = Review.objects.create(
            organ=actor.organ,
            reviewed_organ=case.organ,
            case=case,
            batch=batch.strip(),
            version=version.version,
            reviewer=actor,
            created_at=now,
        )
        ReviewItem.objects.bulk_create(
            [ReviewItem(review=review, key=i.key, computed=computed(i.computed, case)) for i in version.items]
        )
        record_event(
            action="open_quality_review",
            at=now,
            actor=actor.user,
            actor_label=str(actor),
            organ=actor.organ,
            case_id=case.pk,
            petition_id=case.petition_id,
            basis=BASIS,
            payload={"review": review.pk, "batch": review.batch},
        )
        reviews.append(review)
    return reviews


@transaction.atomic
def confirm_review(
    review: Review,
    actor: Staff,
    results: Mapping[str, str],
    notes: Mapping[str, str] | None = None,
    *,
    now: dt.datetime | None = None,
) -> Review:
    """The reviewer's verdict on every item (a verdict other than the pre-fill needs a note)."""
    now = now or timezone.now()
    review = Review.objects.select_for_update().get(pk=review.pk)
    if actor.organ_id != review.organ_id or not actor.has_role(Role.SUPERVISOR):
        raise ReviewRefused(f"只有{review.organ.name}的督查员可以确认本评查")
    notes = notes or {}
    version = default_checklist().version(review.version)
    items = {i.key: i for i in review.items.all()}
    for check in version.items:
        verdict = results.get(check.key, "")
        if verdict not in Verdict.values:
            raise ReviewRefused(f"请为「{check.label}」选择评查结论")
        item = items[check.key]
        note = str(notes.get(check.key, "")).strip()
        if item.computed and verdict != item.computed and not note:
            raise ReviewRefused(f"「{check.label}」的结论与系统预判不同，请填写说明")
        item.result, item.note = verdict, note
    ReviewItem.objects.bulk_update(items.values(), ["result", "note"])
    review.confirmed_at = now
    review.save(update_fields=["confirmed_at"])
    failed = sorted(k for k, i in items.items() if i.result == Verdict.FAIL)
    record_event(
        action="confirm_quality_review",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=review.organ,
        case_id=review.case_id,
        basis=BASIS,
        payload={"review": review.pk, "failed": failed},
    )
    return review
