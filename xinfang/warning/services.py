"""Writes of the warning app: the daily detection (hotspots and weak signals), the analyst's conclusion, the
预警提示函 (draft, issue with its reply deadline), the organ's written reply and the overdue flag."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.deadlines.selectors import deadline, rulebook
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.documents.models import Status as DocumentStatus
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read, is_confidential
from xinfang.org.models import Level, Organ, OrganKind, Role, Staff
from xinfang.rules import period_words
from xinfang.textmining.topics import Alert as Found
from xinfang.textmining.topics import Item, TopicIndex, is_hotspot

from .models import Alert, DailyCount, Kind, Status
from .selectors import params, source_cases
from .signals import is_weak_signal, score, signal_rules

BASIS = "《信访工作条例》第五条第五项、第十四条第一款第四项"
REPLY_BASIS = "《信访工作条例》第四十条第四款"
REPLY_RULE = "recommendation_reply"  # 非法定、可配置的书面反馈期限（rules/data/national/recommendation_reply.yaml）
RANK = {Level.VILLAGE: 0, Level.TOWNSHIP: 1, Level.COUNTY: 2, Level.CITY: 3, Level.PROVINCE: 4}


class WarningRefused(Exception):
    pass


def _person(petition: Any) -> str:
    """A key that tells petitioners apart, never shown: the blind indexes, else the petition itself."""
    return str(petition.id_number_index or petition.contact_index or f"petition:{petition.pk}")


def _index(organ: Organ, day: dt.date) -> tuple[TopicIndex, dict[str, list[Case]]]:
    p = params()
    first = day - dt.timedelta(days=p.window_days + p.baseline_days - 1)
    index, cases_of = TopicIndex(), defaultdict(list)
    for case in source_cases(organ, first, day):
        petition = case.petition
        key = str(petition.pk)
        if key not in cases_of:  # one petition is one item, however many cases it has
            text = "。".join(filter(None, [petition.request, petition.facts, petition.reasons]))
            index.add(Item(key, _person(petition), timezone.localtime(case.received_at).date(), text))
        cases_of[key].append(case)
    return index, cases_of


def _escalated(case: Case) -> bool:
    """Brought more than one level above the organ handling it (越级: 条例 Art. 20 asks a visit to go to "有权处理
    的本级或者上一级机关、单位"), or brought to review or re-review (Arts. 35, 36)."""
    receiving = case.petition.receiving_organ
    above = RANK.get(Level(receiving.level), 0) - RANK.get(Level(case.organ.level), 0) > 1
    return above or case.review_organ_id is not None or case.re_review_organ_id is not None


def factor_values(found: Found, cases_of: dict[str, list[Case]]) -> dict[str, int]:
    """Counts of the weak-signal factors over the topic's petitions in the recent window."""
    petitions = [cases_of[i] for i in found.ids]
    return {
        "new_persons": found.new_persons,
        "collective": sum(1 for cases in petitions if cases[0].petition.collective),
        "repeat": sum(1 for cases in petitions if cases[0].petition.is_repeat),
        "escalation": sum(1 for cases in petitions if any(_escalated(c) for c in cases)),
        "overdue": sum(1 for cases in petitions if any(c.overdue for c in cases)),
    }


@transaction.atomic
def detect(organ: Organ, day: dt.date, *, now: dt.datetime | None = None) -> list[Alert]:
    """Run the detector for one organ on one day: hotspots, then weak signals among the other topics. An alert
    already stored for that day and topic is updated (its conclusion and notice kept)."""
    now = now or timezone.now()
    p, rules = params(), signal_rules()
    index, cases_of = _index(organ, day)
    trend_start = day - dt.timedelta(days=p.window_days + p.baseline_days - 1)
    count_days(organ, trend_start, day)
    stored = []
    for found in index.candidates(day, p):
        total, rows = score(factor_values(found, cases_of), rules)
        if is_hotspot(found, p):
            kind = Kind.HOTSPOT
        elif is_weak_signal(found.count, found.persons, found.ratio, total, rules):
            kind = Kind.WEAK
        else:
            continue
        cases = [c for item in found.ids for c in cases_of[item]]
        fields = {
            "kind": kind,
            "variants": list(found.variants),
            "count": found.count,
            "persons": found.persons,
            "baseline": found.baseline,
            "ratio": found.ratio,
            "first_day": found.first,
            "last_day": found.last,
            "score": total,
            "factors": rows,
            "trend": list(found.trend),
            "trend_start": trend_start,
            "organs": sorted({c.organ.name for c in cases}),
        }
        alert, created = Alert.objects.update_or_create(
            organ=organ, day=day, topic=found.topic, defaults=fields, create_defaults={**fields, "created_at": now}
        )
        alert.cases.set([c.pk for c in cases])
        if created:
            record_event(
                action="raise_warning",
                at=now,
                organ=organ,
                basis=BASIS,
                payload={
                    "alert": alert.pk,
                    "topic": alert.topic,
                    "kind": kind,
                    "count": alert.count,
                    "persons": alert.persons,
                    "score": total,
                },
            )
        stored.append(alert)
    return stored


@transaction.atomic
def count_days(organ: Organ, first: dt.date, last: dt.date) -> int:
    """Store the bureau's petitions a day in [first, last] by category and region (replacing those days)."""
    rows = (
        source_cases(organ, first, last)
        .filter(parent__isnull=True)
        .order_by()
        .annotate(d=TruncDate("received_at"))
        .values_list("d", "category", "petition__region_code")
        .annotate(n=Count("pk"))
    )
    DailyCount.objects.filter(organ=organ, day__gte=first, day__lte=last).delete()
    made = DailyCount.objects.bulk_create(
        DailyCount(organ=organ, day=d, category=category or "", region_code=region, count=n)
        for d, category, region, n in rows
    )
    return len(made)


def detect_all(day: dt.date) -> int:
    """The daily task: every petition bureau, over the cases it may read; then the replies now overdue."""
    total = 0
    for organ in Organ.objects.filter(kind=OrganKind.PETITION_BUREAU).order_by("pk"):
        total += len(detect(organ, day))
    flag_overdue_replies(day)
    return total


def _conclude(alert: Alert, actor: Staff, status: str, reason: str, now: dt.datetime) -> Alert:
    if actor.organ_id != alert.organ_id or not actor.has_role(Role.ANALYST):
        raise WarningRefused(f"只有{alert.organ.name}的分析员可以研判本预警")
    if alert.status != Status.OPEN:
        raise WarningRefused(f"本预警已{alert.get_status_display()}")
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


def responsible_organ(alert: Alert) -> Organ | None:
    """The organ handling most of the alert's cases, other than the bureau itself (ties: the first by name)."""
    counts = Counter(c.organ for c in alert.cases.select_related("organ") if c.organ_id != alert.organ_id)
    return min(counts, key=lambda o: (-counts[o], o.name)) if counts else None


@transaction.atomic
def confirm(alert: Alert, actor: Staff, reason: str = "", *, now: dt.datetime | None = None) -> Document:
    """Confirm the alert and draft its 预警提示函 to the responsible organ, on one of its cases that the actor's
    organ acts on (the bureau's own case of a petition it transferred or assigned)."""
    now = now or timezone.now()
    addressee = responsible_organ(alert)
    if addressee is None:
        raise WarningRefused("本预警的信访事项尚未转送、交办其他机关，无法确定预警提示函的主送机关")
    case = next(
        (
            c
            for c in alert.cases.select_related("petition", "organ").order_by("-received_at")
            if c.acting_organ_id == actor.organ_id and not is_confidential(c) and can_read(actor, c)
        ),
        None,
    )
    if case is None:
        raise WarningRefused("本预警没有由本机关办理的案件，无法起草预警提示函")
    _conclude(alert, actor, Status.CONFIRMED, reason.strip(), now)
    document = documents.draft(case, "warning_notice", actor, now=now)
    document = documents.update(document, notice_content(alert, addressee), actor, now=now)
    alert.notice, alert.addressee = document, addressee
    alert.save(update_fields=["notice", "addressee"])
    return document


def notice_content(alert: Alert, addressee: Organ) -> dict[str, str]:
    """The problem and the organ's duties, from the alert; the reply period from the rules."""
    p = params()
    period = period_words(REPLY_RULE, addressee.region_code, book=rulebook(), ceiling=False)
    return {
        "receiving_organ": addressee.name,
        "problem": f"近期群众集中反映涉及“{alert.topic}”的问题，呈上升态势。",
        "trend": (
            f"{alert.first_day:%Y年%-m月%-d日}至{alert.last_day:%Y年%-m月%-d日}，本机关共收到相关信访事项"
            f"{alert.count}件，涉及信访人{alert.persons}人；此前{p.baseline_days}日内{alert.baseline}件。"
        ),
        "duty": (
            "请贵单位落实信访工作责任，坚持源头治理，把可能引发信访问题的矛盾纠纷化解在基层、化解在萌芽状态，"
            "依法及时处理群众反映的问题。"
        ),
        "suggestion": "建议贵单位主要负责同志牵头研究（必要时实行领导包案），查明问题成因，制定解决措施。",
        "reply_deadline": f"请于收到本函之日起{period}内将采纳情况书面反馈本机关（期满日遇法定节假日顺延）。",
    }


@transaction.atomic
def issue_notice(alert: Alert, actor: Staff, *, now: dt.datetime | None = None) -> Alert:
    """Issue the approved 预警提示函 (numbered, rendered by the documents app) and start its reply period."""
    now = now or timezone.now()
    if alert.notice is None:
        raise WarningRefused("本预警尚未起草预警提示函")
    documents.issue(alert.notice, actor, now=now)
    return _start_reply_period(alert, now)


def _start_reply_period(alert: Alert, now: dt.datetime) -> Alert:
    assert alert.notice is not None and alert.addressee is not None
    alert.notice.refresh_from_db()
    issued = timezone.localdate(alert.notice.issued_at or now)
    due = deadline(REPLY_RULE, issued, region=alert.addressee.region_code)
    alert.reply_due, alert.reply_due_provisional = due.legal_last_day, due.provisional
    alert.save(update_fields=["reply_due", "reply_due_provisional"])
    record_event(
        action="issue_warning_notice",
        at=now,
        organ=alert.organ,
        basis=REPLY_BASIS,
        payload={
            "alert": alert.pk,
            "document": alert.notice.pk,
            "number": alert.notice.number,
            "addressee": alert.addressee.name,
            "reply_due": alert.reply_due.isoformat(),
        },
    )
    return alert


@transaction.atomic
def record_reply(alert: Alert, actor: Staff, text: str, *, now: dt.datetime | None = None) -> Alert:
    """The responsible organ's written reply on the 预警提示函 (Art. 40 ¶4)."""
    now = now or timezone.now()
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.addressee_id is None or actor.organ_id != alert.addressee_id:
        raise WarningRefused("只有预警提示函的主送机关可以书面反馈")
    if alert.reply_due is None:
        raise WarningRefused("预警提示函尚未印发")
    if alert.replied_at is not None:
        raise WarningRefused("本预警提示函已经书面反馈")
    if not text.strip():
        raise WarningRefused("书面反馈：请填写采纳情况")
    late = timezone.localdate(now) > alert.reply_due
    alert.reply_text, alert.replied_at, alert.replied_by = text.strip(), now, actor
    alert.save(update_fields=["reply_text", "replied_at", "replied_by"])
    record_event(
        action="reply_warning_notice",
        at=now,
        actor=actor.user,
        actor_label=str(actor),
        organ=actor.organ,
        basis=REPLY_BASIS,
        payload={"alert": alert.pk, "reply_due": alert.reply_due.isoformat(), "late": late},
    )
    return alert


@transaction.atomic
def flag_overdue_replies(today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Mark the notices whose reply period has run out without a reply; each once, with an event. Notices
    issued through the documents pages get their reply period here."""
    now = now or timezone.now()
    for alert in Alert.objects.filter(
        notice__status=DocumentStatus.ISSUED, reply_due__isnull=True, addressee__isnull=False
    ).select_related("notice", "addressee"):
        _start_reply_period(alert, now)
    flagged = 0
    for alert in (
        Alert.objects.select_for_update(of=("self",))
        .filter(reply_due__lt=today, replied_at__isnull=True, reply_overdue=False)
        .select_related("addressee")
    ):
        alert.reply_overdue = True
        alert.save(update_fields=["reply_overdue"])
        record_event(
            action="warning_reply_overdue",
            at=now,
            organ=alert.addressee,
            basis="《信访工作条例》第四十五条第三项",
            payload={"alert": alert.pk, "reply_due": alert.reply_due.isoformat() if alert.reply_due else ""},
        )
        flagged += 1
    return flagged
