"""The checklist items the platform can pre-fill from a case's record (events, clocks, documents): each returns
a verdict (符合/不符合/不适用) or "" when the record cannot tell; the reviewer confirms or overrides every item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xinfang.audit.models import Event
from xinfang.documents.models import Document, Status
from xinfang.lifecycle.models import Clock, ClockStatus

from .models import Verdict

Check = Callable[[Any], str]


def _clock_kept(case: Any, rules: tuple[str, ...]) -> str:
    clocks = list(Clock.objects.filter(case=case, rule__in=rules))
    if not clocks:
        return Verdict.NA
    late = [c for c in clocks if c.overdue or (c.stopped_on is not None and c.stopped_on > c.legal_last_day)]
    if late or any(c.status == ClockStatus.RUNNING for c in clocks):
        return Verdict.FAIL
    return Verdict.PASS


def receipt_notice_kept(case: Any) -> str:
    """The 15-day written notice clock was met without going overdue (不适用 when none ran)."""
    return _clock_kept(case, ("receipt_notice",))


def handling_kept(case: Any) -> str:
    """The handling period (and any extension) met without going overdue."""
    return _clock_kept(case, ("handling", "handling_extension"))


def investigated(case: Any) -> str:
    """调查核实 is on record (hearing the petitioner is the reviewer's to confirm from the file)."""
    return Verdict.PASS if Event.objects.filter(case_id=case.pk, action="investigate").exists() else Verdict.FAIL


def _opinions(case: Any) -> list[Document]:
    return list(Document.objects.filter(case=case, kind="handling_opinion").defer("pdf", "docx"))


def opinion_issued(case: Any) -> str:
    """An issued 处理意见书: issuing is refused without its required items (rules.documents.refusal)."""
    opinions = _opinions(case)
    return Verdict.PASS if any(d.status in (Status.ISSUED, Status.SERVED) for d in opinions) else Verdict.FAIL


def review_right_stated(case: Any) -> str:
    issued = [d for d in _opinions(case) if d.status in (Status.ISSUED, Status.SERVED)]
    if not issued:
        return Verdict.FAIL
    return Verdict.PASS if all(str(d.content.get("review_right", "")).strip() for d in issued) else Verdict.FAIL


def opinion_served(case: Any) -> str:
    return Verdict.PASS if any(d.status == Status.SERVED for d in _opinions(case)) else Verdict.FAIL


CHECKS: dict[str, Check] = {
    "receipt_notice_kept": receipt_notice_kept,
    "handling_kept": handling_kept,
    "investigated": investigated,
    "opinion_issued": opinion_issued,
    "review_right_stated": review_right_stated,
    "opinion_served": opinion_served,
}


def computed(name: str, case: Any) -> str:
    return CHECKS[name](case) if name else ""
