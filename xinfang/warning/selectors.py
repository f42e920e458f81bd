"""Reads for the risk board: the alerts a viewer may see and, of an alert's cases, those the viewer may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet

from xinfang.intake.models import Category
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ, Role, Staff
from xinfang.textmining.topics import Params

from .models import Alert

PARAMS_FILE = Path(__file__).with_name("detector.yaml")
VIEWER_ROLES = (Role.SUPERVISOR, Role.ANALYST, Role.LEADER)


@cache
def params() -> Params:
    raw = yaml.safe_load(PARAMS_FILE.read_text(encoding="utf-8"))
    return Params(
        window_days=int(raw["window_days"]),
        baseline_days=int(raw["baseline_days"]),
        min_persons=int(raw["min_persons"]),
        min_count=int(raw["min_count"]),
        min_ratio=float(raw["min_ratio"]),
    )


def may_view(staff: Staff) -> bool:
    return staff.has_role(*VIEWER_ROLES)


def source_cases(organ: Organ, first: dt.date, last: dt.date) -> QuerySet[Case]:
    """The cases the organ's staff may read, received in [first, last], without any confidential accusation:
    an accusation never feeds an alert, so that no alert can name one to someone the rules exclude."""
    reader = Staff(organ=organ)  # only the organ decides what its staff may read
    return (
        readable_cases(reader)
        .filter(received_at__date__gte=first, received_at__date__lte=last)
        .exclude(confidential_accusation=True)
        .exclude(category=Category.ACCUSATION)
        .exclude(petition__accusation=True)
        .select_related("petition")
        .order_by("received_at", "pk")
    )


def current_alerts(staff: Staff, today: dt.date) -> list[Alert]:
    """Alerts of the viewer's organ and the organs under it whose window still covers today: the latest one of
    each topic and organ."""
    since = today - dt.timedelta(days=params().window_days - 1)
    alerts = Alert.objects.filter(
        organ__path__startswith=staff.organ.scope_path, day__gte=since, day__lte=today
    ).select_related("organ")
    latest: dict[tuple[int, str], Alert] = {}
    for alert in alerts.order_by("-day", "-ratio", "topic"):
        latest.setdefault((alert.organ_id, alert.topic), alert)
    return list(latest.values())


def alert_for(staff: Staff, pk: int) -> Alert | None:
    return Alert.objects.filter(pk=pk, organ__path__startswith=staff.organ.scope_path).first()


@dataclass(frozen=True)
class Behind:
    cases: list[Any]
    hidden: int


def cases_behind(staff: Staff, alert: Alert) -> Behind:
    ids = list(alert.cases.values_list("pk", flat=True))
    cases = list(readable_cases(staff).filter(pk__in=ids).select_related("petition", "organ").order_by("-received_at"))
    return Behind(cases, len(ids) - len(cases))
