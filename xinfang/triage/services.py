"""Writes of triage: training and activating a model, suggesting for a case, recording the staff's decision.

Every suggestion and every decision is a row and an event, so that accuracy in use can be reported and the
next model trained on confirmed categories. A suggestion is only a suggestion: the category is the staff's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

from xinfang.audit.services import record_event
from xinfang.intake import repeat_keys
from xinfang.intake.models import Matter, Petition
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import TERMINAL
from xinfang.lifecycle.visibility import can_read
from xinfang.org.models import Role, Staff
from xinfang.rules.taxonomy import SEPARATOR
from xinfang.textmining.classifier import SEED, TextClassifier
from xinfang.textmining.features import Message
from xinfang.textmining.repeats import Record, rank

from . import selectors
from .models import ClassifierModel, Suggestion

HOLDOUT = 0.2  # the share of the training data held out to measure a new model before it is trained on all
MIN_PER_CLASS_FOR_HOLDOUT = 5
_loaded: dict[tuple[int, str], TextClassifier] = {}  # (version, directory): one model in memory


def models_dir() -> Path:
    return Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "models"


def holdout_metrics(messages: Sequence[Message], labels: Sequence[str]) -> dict[str, Any]:
    """Macro-F1 and accuracy on a stratified 20 % held out (seed fixed); empty when a class is too small."""
    counts = Counter(labels)
    if len(counts) < 2 or min(counts.values()) < MIN_PER_CLASS_FOR_HOLDOUT:
        return {"note": "类别样本过少，未做留出集评估"}
    train, test = train_test_split(np.arange(len(labels)), test_size=HOLDOUT, stratify=list(labels), random_state=SEED)
    model = TextClassifier.train([messages[i] for i in train], [labels[i] for i in train])
    predicted = model.predict([messages[i] for i in test])
    truth = [labels[i] for i in test]
    return {
        "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "holdout": len(test),
        "protocol": f"分层留出 {HOLDOUT:.0%}，随机种子 {SEED}",
    }


def train_model(
    messages: Sequence[Message],
    labels: Sequence[str],
    *,
    source: str,
    staff: Staff | None = None,
    actor_label: str = "",
    evaluate: bool = True,
    now: dt.datetime | None = None,
) -> ClassifierModel:
    """Train on all rows (after measuring on a held-out part), store under var/models/vN/ and make it active."""
    now = now or timezone.now()
    metrics = holdout_metrics(messages, labels) if evaluate else {"note": "未评估"}
    model = TextClassifier.train(list(messages), list(labels))
    with transaction.atomic():
        version = selectors.next_version()
        directory = model.save(models_dir() / f"v{version}")
        record = ClassifierModel.objects.create(
            version=version,
            directory=str(directory),
            trained_at=now,
            trained_by=staff,
            trained_by_label=actor_label or (str(staff) if staff else "系统"),
            source=source,
            n_train=len(labels),
            labels=list(model.labels),
            metrics=metrics,
            data_fingerprint=model.meta["data_fingerprint"],
            model_hash=model.meta["model_hash"],
        )
        record_event(
            action="triage.model_trained",
            at=now,
            actor=staff.user if staff else None,
            actor_label=record.trained_by_label,
            organ=staff.organ if staff else None,
            payload={"version": version, "n_train": len(labels), "source": source, "metrics": metrics},
        )
        _activate(record, staff, now)
    return record


def activate(record: ClassifierModel, staff: Staff | None = None, now: dt.datetime | None = None) -> None:
    with transaction.atomic():
        _activate(record, staff, now or timezone.now())


def _activate(record: ClassifierModel, staff: Staff | None, now: dt.datetime) -> None:
    ClassifierModel.objects.filter(active=True).exclude(pk=record.pk).update(active=False)
    ClassifierModel.objects.filter(pk=record.pk).update(active=True)
    record.active = True
    record_event(
        action="triage.model_activated",
        at=now,
        actor=staff.user if staff else None,
        actor_label=str(staff) if staff else "",
        organ=staff.organ if staff else None,
        payload={"version": record.version},
    )


def _classifier(record: ClassifierModel) -> TextClassifier:
    key = (record.version, record.directory)  # a version number alone may name another database's model
    if key not in _loaded:
        _loaded.clear()  # one model in memory: the active one
        _loaded[key] = TextClassifier.load(record.directory)
    return _loaded[key]


def _repeats(case: Case, staff: Staff, window_days: int | None, k: int) -> list[dict[str, Any]]:
    """Earlier petitions of the same person (blind index) and similar texts (the repeat keys of every petition),
    both in the database and only among the cases the staff member may read; scored on their current texts."""
    message = selectors.case_message(case)
    same_person = {c.pk: c for c in selectors.same_person_cases(case, staff).select_related("petition", "matter")}
    similar = {c.pk: c for c in selectors.similar_readable_cases(staff, case, message.text)}
    by_id = similar | same_person
    records = [
        Record(
            str(other.pk),
            selectors.case_message(other).text,
            "same" if other.pk in same_person else "",
            other.received_at.date(),
        )
        for other in by_id.values()
    ]
    person = "same" if same_person else ""
    found = rank(message.text, records, person, case.received_at.date(), k=k, window_days=window_days)
    hits = []
    for candidate in found:
        other = by_id[int(candidate.id)]
        reasons = list(candidate.reasons)
        if other.matter.final_at:
            reasons.append("该事项已复核终结（第三十六条第三款）")
        hits.append(
            {
                "case_id": other.pk,
                "number": other.petition.number,
                "summary": other.matter.summary,
                "similarity": candidate.similarity,
                "same_person": candidate.same_person,
                "final": bool(other.matter.final_at),
                "reasons": reasons,
            }
        )
    return hits


def suggest(
    case: Case, staff: Staff, *, window_days: int | None = None, k: int = 5, now: dt.datetime | None = None
) -> Suggestion:
    """Suggest a content category (with confidence and the next two) and possible repeats; record it.

    Refused (PermissionDenied) when the staff member may not read the case; repeats come only from the
    cases the staff member may read (`readable_cases`), so a confidential accusation never reaches anyone
    the confidentiality rules exclude (Art. 30(3)).
    """
    if not can_read(staff, case):
        raise PermissionDenied("无权查看该案件")
    now = now or timezone.now()
    record = selectors.active_model()
    ranked = _classifier(record).suggest(selectors.case_message(case), k=3) if record else []
    organ, route = selectors.competent_organ(ranked[0].label if ranked else "", case.petition.region_code)
    with transaction.atomic():
        # The engine locks the case, then the chain head (record_event). Lock in the same order here: recording
        # the event while holding the head, then waiting for the case a transition holds, deadlocked on
        # PostgreSQL when a triage officer's panel loaded as the case was being accepted.
        Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).values_list("pk").first()
        suggestion = Suggestion.objects.create(
            case=case,
            staff=staff,
            model=record,
            at=now,
            label=ranked[0].label if ranked else "",
            score=ranked[0].score if ranked else None,
            alternatives=[[s.label, s.score] for s in ranked[1:]],
            repeats=_repeats(case, staff, window_days, k),
            organ=organ,
            organ_basis=route.basis.words()[:300] if route else "",
        )
        record_event(
            action="triage.suggested",
            at=now,
            actor=staff.user,
            actor_label=str(staff),
            organ=staff.organ,
            case_id=case.pk,
            petition_id=case.petition_id,
            payload={
                "suggestion": suggestion.pk,
                "label": suggestion.label,
                "score": suggestion.score,
                "model_version": record.version if record else None,
                "organ": {"id": organ.pk, "name": organ.name} if organ else None,
                "repeat_case_ids": [r["case_id"] for r in suggestion.repeats],
            },
        )
    return suggestion


def record_decision(case: Case, staff: Staff, label: str, now: dt.datetime | None = None) -> Suggestion | None:
    """The category staff chose on triage: whether they accepted the latest suggestion or changed it."""
    now = now or timezone.now()
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().filter(case=case).order_by("-at", "-pk").first()
        if suggestion is None:
            return None
        suggestion.decided_label = label
        suggestion.decided_at = now
        suggestion.decided_by = staff
        # The model suggests a top-level category; choosing it or a category below it accepts the suggestion.
        suggestion.accepted = bool(suggestion.label) and label.split(SEPARATOR)[0] == suggestion.label
        suggestion.save(update_fields=["decided_label", "decided_at", "decided_by", "accepted"])
        record_event(
            action="triage.suggestion_accepted" if suggestion.accepted else "triage.suggestion_changed",
            at=now,
            actor=staff.user,
            actor_label=str(staff),
            organ=staff.organ,
            case_id=case.pk,
            petition_id=case.petition_id,
            payload={"suggestion": suggestion.pk, "suggested": suggestion.label, "decided": label},
        )
    return suggestion


def as_json(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "suggestion_id": suggestion.pk,
        "category": {"label": suggestion.label, "score": suggestion.score} if suggestion.label else None,
        "alternatives": [{"label": label, "score": score} for label, score in suggestion.alternatives],
        "model_version": suggestion.model.version if suggestion.model else None,
        "organ": {"name": suggestion.organ.name, "basis": suggestion.organ_basis} if suggestion.organ else None,
        "repeats": [
            r | {"compare_url": reverse("triage:compare", args=[suggestion.case_id, r["case_id"]])}
            for r in suggestion.repeats
        ],
    }


class LinkRefused(Exception):
    """Linking a petition to a matter is not possible; the message says why, in Chinese."""


def link_to_matter(case: Case, other: Case, staff: Staff, now: dt.datetime | None = None) -> Case:
    """Staff decide that the case's petition repeats the matter of `other`: the petition joins that matter.

    An event on the case records it (Arts. 19(3), 36(3)); the matter left behind keeps its history. Both cases
    must be readable by the staff member in full (a confidential accusation never becomes a link target for
    someone the confidentiality rules exclude).
    """
    if not (can_read(staff, case) and can_read(staff, other)):
        raise PermissionDenied("无权查看该案件")
    if not staff.has_role(Role.REGISTRAR, Role.TRIAGE_OFFICER):
        raise PermissionDenied("关联信访事项需要“登记员”或“甄别分办员”角色")
    if case.state in TERMINAL:
        raise LinkRefused("该信访件已办结，不能再关联信访事项")
    if other.matter_id == case.matter_id:
        raise LinkRefused("两件信访件已属于同一信访事项")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).select_related("petition").get(pk=case.pk)
        matter = Matter.objects.get(pk=other.matter_id)
        previous = locked.matter_id
        Petition.objects.filter(pk=locked.petition_id).update(matter=matter, is_repeat=True)
        Case.objects.filter(petition_id=locked.petition_id).update(matter=matter)
        repeat_keys.store(locked.petition, matter.summary)  # the summary is part of the text the keys read
        record_event(
            action="triage.linked_to_matter",
            at=now,
            actor=staff.user,
            actor_label=str(staff),
            organ=staff.organ,
            case_id=case.pk,
            petition_id=case.petition_id,
            payload={
                "linked_number": other.petition.number,
                "matter_summary": matter.summary,
                "final_after_re_review": matter.final_at is not None,
                "from_matter": previous,
                "matter": matter.pk,
            },
        )
    case.refresh_from_db()
    return case
