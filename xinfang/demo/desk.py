"""The desk's part of the demo (issue 18): a corrected registration and a saved list filter, through the services."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict

from xinfang.intake.services import correct_registration, correction_refusal
from xinfang.lifecycle.models import Case
from xinfang.workspace.services import save_filter

from .city import DemoCity


def seed_desk(city: DemoCity, now: dt.datetime) -> None:
    """The registrar adds a house number a visitor phoned in; the triage officer keeps a filter for her queue."""
    registrar, triage = city.accounts["registrar"], city.accounts["triage"]
    visits = Case.objects.filter(
        petition__receiving_organ=registrar.organ, organ=registrar.organ, petition__channel="visit",
        petition__anonymous=False, confidential_accusation=False,
    ).select_related("petition__receiving_organ", "organ", "acting_organ")  # fmt: skip
    case = next((c for c in visits.order_by("-received_at") if correction_refusal(registrar, c) is None), None)
    if case is not None and case.petition.address:
        correct_registration(
            case,
            registrar,
            {"address": f"{case.petition.address}（3单元502室）"},
            "信访人来电补充门牌号，已核对其身份证件",
            now=now,
        )
    save_filter(triage, "本机关待办（最早收到的在前）", QueryDict("waiting=on&sort=number"))
