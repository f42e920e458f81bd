"""Reads of 访调对接, each scoped through `lifecycle.visibility`: a referral is seen by whoever may read its case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.documents.models import Status
from xinfang.intake.models import Category
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.selectors import available_transitions
from xinfang.lifecycle.visibility import can_read, readable_cases
from xinfang.org.models import Staff

from .forms import ReferForm
from .models import MediationBody, Mediator, Outcome, Referral

ISSUED = (Status.ISSUED, Status.SERVED)


def referrals(staff: Staff) -> QuerySet[Referral]:
    """The referrals on cases this user may read, newest first."""
    return (
        Referral.objects.filter(case__in=readable_cases(staff))
        .select_related("case__petition", "case__organ", "body", "mediator", "agreement")
        .order_by("-referred_at", "-pk")
    )


def referral_for(staff: Staff, pk: int) -> Referral | None:
    referral = referrals(staff).filter(pk=pk).first()
    return referral if referral is not None and can_read(staff, referral.case) else None


def bodies_for(case: Case) -> QuerySet[MediationBody]:
    """The mediation bodies that work with the case's organ or any organ above it (its region's bodies)."""
    return MediationBody.objects.filter(active=True, organ_id__in=case.acting_organ.ancestors()).order_by("name")


def mediators_for(case: Case) -> QuerySet[Mediator]:
    return Mediator.objects.filter(active=True, body__in=bodies_for(case)).select_related("body")


def may_refer(staff: Staff, case: Case) -> bool:
    return case.category == Category.GRIEVANCE and any(
        t.name == "start_mediation" for t in available_transitions(staff, case)
    )


def may_conduct(staff: Staff, referral: Referral) -> bool:
    """Sessions, the agreement and the end are recorded by the handling organ's staff who may act on mediation."""
    return referral.outcome == Outcome.PENDING and any(
        t.name == "end_mediation" for t in available_transitions(staff, referral.case)
    )


def case_panel(staff: Staff, case: Case) -> dict[str, Any]:
    """What the case page shows of mediation: its referrals (with sessions) and whether this user may refer."""
    rows = list(
        Referral.objects.filter(case=case)
        .select_related("body", "mediator", "agreement")
        .prefetch_related("sessions")
        .order_by("referred_at")
    )
    allowed = may_refer(staff, case)
    return {"referrals": rows, "may_refer": allowed, "form": refer_form(case) if allowed else None}


def refer_form(case: Case, data: Any = None) -> ReferForm:
    return ReferForm(
        data,
        bodies=bodies_for(case),
        mediators=mediators_for(case),
        initial={"consent_on": timezone.localdate()},
        prefix="refer",
    )


@dataclass(frozen=True)
class Counts:
    referred: int
    settled: int
    failed: int
    pending: int
    grievances: int  # 申诉求决类 cases accepted in the period, the base of ``referred_share``

    @property
    def settled_share(self) -> float | None:
        """Share of the referrals that ended in an agreement."""
        return self.settled / self.referred if self.referred else None

    @property
    def referred_share(self) -> float | None:
        """Share of the accepted 申诉求决类 cases that were referred to mediation."""
        return self.referred / self.grievances if self.grievances else None


def counts(staff: Staff, first: dt.date, last: dt.date) -> Counts:
    """Referred, settled, failed and still pending among referrals made from ``first`` to ``last`` on the cases
    this user may read; the base is the 申诉求决类 cases accepted in the same days."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    made = Referral.objects.filter(case__in=readable_cases(staff), referred_at__gte=start, referred_at__lt=end)
    settled = made.filter(agreement__status__in=ISSUED).count()
    failed = made.filter(outcome=Outcome.FAILED).count()
    total = made.count()
    grievances = (
        readable_cases(staff).filter(category=Category.GRIEVANCE, accepted_at__gte=start, accepted_at__lt=end).count()
    )
    return Counts(
        referred=total, settled=settled, failed=failed, pending=total - settled - failed, grievances=grievances
    )
