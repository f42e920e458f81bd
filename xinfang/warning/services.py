"""Writes of the warning app: the daily detection, the analyst's conclusion, the 预警提示函 draft."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.lifecycle.visibility import can_read, is_confidential
from xinfang.org.models import Organ, OrganKind, Staff
from xinfang.textmining.topics import Item, TopicIndex

from .models import Alert, Status
from .selectors import params, source_cases

BASIS = "《信访工作条例》第五条第五项、第十四条第一款第四项"


class WarningRefused(Exception):
    pass


def _person(petition: Any) -> str:
    """A key that tells petitioners apart, never shown: the blind indexes, else the petition itself."""
    return str(petition.id_number_index or petition.contact_index or f"petition:{petition.pk}")


def _index(organ: Organ, day: dt.date) -> tuple[TopicIndex, dict[str, list[int]]]:
    p = params()
    first = day - dt.timedelta(days=p.window_days + p.baseline_days - 1)
    index, cases_of = TopicIndex(), defaultdict(list)
    for case in source_cases(organ, first, day):
        petition = case.petition
        key = str(petition.pk)
        if key not in cases_of:  # one petition is one item, however many cases it has
            text = "。".join(filter(None, [petition.request, petition.facts, petition.reasons]))
            index.add(Item(key, _person(petition), timezone.localtime(case.received_at).date(), text))
        cases_of[key].append(case.pk)
    return index, cases_of


@transaction.atomic
def detect(organ: Organ, day: dt.date, *, now: dt.datetime | None = None) -> list[Alert]:
    """Run the detector for one organ on one day; an alert already stored for that day and topic is updated
    (its conclusion kept)."""
    now = now or timezone.now()
    index, cases_of = _index(organ, day)
    stored = []
    for found in index.detect(day, params()):
        fields = {
            "variants": list(found.variants),
            "count": found.count,
            "persons": found.persons,
            "baseline": found.baseline,
            "ratio": found.ratio,
            "first_day": found.first,
            "last_day": found.last,
        }
        alert, created = Alert.objects.update_or_create(
            organ=organ, day=day, topic=found.topic, defaults=fields, create_defaults={**fields, "created_at": now}
        )
        alert.cases.set([pk for item in found.ids for pk in cases_of[item]])
        if created:
            record_event(
                action="raise_warning",
                at=now,
                organ=organ,
                basis=BASIS,
                payload={"alert": alert.pk, "topic": alert.topic, "count": alert.count, "persons": alert.persons},
            )
        stored.append(alert)
    return stored


def detect_all(day: dt.date) -> int:
    """The daily task: every petition bureau, over the cases it may read."""
    total = 0
    for organ in Organ.objects.filter(kind=OrganKind.PETITION_BUREAU).order_by("pk"):
        total += len(detect(organ, day))
    return total


def _conclude(alert: Alert, actor: Staff, status: str, reason: str, now: dt.datetime) -> Alert:
    if actor.organ_id != alert.organ_id:
        raise WarningRefused(f"只有{alert.organ.name}的工作人员可以研判本预警")
    alert.status, alert.reason = status, reason
    alert.save(update_fields=["status", "reason"])
    record_event(
        action=f"{status}_warning",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=alert.organ,
        basis=BASIS,
        payload={"alert": alert.pk, "topic": alert.topic, "reason": reason},
    )
    return alert


@transaction.atomic
def dismiss(alert: Alert, actor: Staff, reason: str, *, now: dt.datetime | None = None) -> Alert:
    if not reason.strip():
        raise WarningRefused("排除预警须填写研判理由")
    return _conclude(alert, actor, Status.DISMISSED, reason.strip(), now or timezone.now())


@transaction.atomic
def confirm(alert: Alert, actor: Staff, reason: str = "", *, now: dt.datetime | None = None) -> Document:
    """Confirm the alert and draft its 预警提示函 on one of its cases that the actor's organ is acting on."""
    now = now or timezone.now()
    case = next(
        (
            c
            for c in alert.cases.select_related("petition", "organ").order_by("-received_at")
            if c.acting_organ_id == actor.organ_id and not is_confidential(c) and can_read(actor, c)
        ),
        None,
    )
    if case is None:
        raise WarningRefused("本预警没有由本机关承办的案件，无法起草预警提示函")
    _conclude(alert, actor, Status.CONFIRMED, reason.strip(), now)
    document = documents.draft(case, "warning_notice", actor, now=now)
    return documents.update(document, notice_content(alert), actor, now=now)


def notice_content(alert: Alert) -> dict[str, str]:
    """The problem and the organ's duties, from the alert; the reply deadline is the drafter's to write."""
    p = params()
    return {
        "problem": f"近期群众集中反映涉及“{alert.topic}”的问题，呈上升态势。",
        "trend": (
            f"{alert.first_day:%Y年%-m月%-d日}至{alert.last_day:%Y年%-m月%-d日}，本机关共收到相关信访事项"
            f"{alert.count}件，涉及信访人{alert.persons}人；此前{p.baseline_days}日内{alert.baseline}件。"
        ),
        "duty": (
            "请贵单位落实信访工作责任，坚持源头治理，把可能引发信访问题的矛盾纠纷化解在基层、化解在萌芽状态，"
            "依法及时处理群众反映的问题。"
        ),
        "suggestion": "建议贵单位主要负责同志牵头研究，查明问题成因，制定解决措施，并将有关情况书面反馈本机关。",
    }
