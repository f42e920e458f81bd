"""Reads of 访调对接, each scoped through `lifecycle.visibility`: a referral is seen by whoever may read its case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.deadlines.days import day_bounds
from xinfang.documents.models import Status
from xinfang.intake.models import Category
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.selectors import available_transitions
from xinfang.lifecycle.visibility import can_read, readable_cases
from xinfang.org.models import Role, Staff

from .forms import OpinionForm, ReferForm
from .models import Consultation, LawyerDuty, LawyerOpinion, MediationBody, Mediator, Outcome, Referral

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
    panel = {"referrals": rows, "may_refer": allowed, "form": refer_form(case) if allowed else None}
    panel |= case_lawyers(case)
    if may_attach_opinion(staff, case):
        panel["opinion_form"] = OpinionForm(
            duties=duties(staff), prefix="opinion", initial={"given_on": timezone.localdate()}
        )
    return panel


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
    start, end = day_bounds(first, last)
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


# --- lawyers on duty --------------------------------------------------------------------------------


def duties(staff: Staff) -> QuerySet[LawyerDuty]:
    """The rota of the organs this user oversees (its own organ and, for a bureau, its government's tree)."""
    return LawyerDuty.objects.filter(organ__path__startswith=staff.organ.scope_path).select_related("organ")


def on_duty_here(staff: Staff, day: dt.date) -> QuerySet[LawyerDuty]:
    """The lawyers on duty today at this user's own organ: those whose consultations this user may record."""
    return LawyerDuty.objects.filter(organ=staff.organ, starts_on__lte=day, ends_on__gte=day).order_by("lawyer")


def consultations(staff: Staff) -> list[Consultation]:
    """Consultations at the organs this user oversees; a linked case is named only if the user may read it."""
    rows = list(
        Consultation.objects.filter(duty__in=duties(staff))
        .select_related("duty", "case__petition")
        .order_by("-at", "-pk")[:200]
    )
    readable = set(
        readable_cases(staff).filter(pk__in=[c.case_id for c in rows if c.case_id]).values_list("pk", flat=True)
    )
    for row in rows:
        row.case_readable = row.case_id in readable  # type: ignore[attr-defined]
    return rows


def case_lawyers(case: Case) -> dict[str, Any]:
    """For the case page (already read through `visibility`): the consultations and opinions on this case."""
    return {
        "consultations": list(case.lawyer_consultations.select_related("duty").order_by("at")),
        "opinions": list(case.lawyer_opinions.select_related("duty").order_by("given_on", "pk")),
    }


def may_attach_opinion(staff: Staff, case: Case) -> bool:
    from .services import REVIEW_STATES

    return (
        case.state in REVIEW_STATES
        and staff.organ_id == case.acting_organ_id
        and staff.has_role(Role.HANDLER, Role.APPROVER, Role.LEADER)
    )


def case_by_number(staff: Staff, number: str) -> Case | None:
    """The newest case of petition ``number`` this user may read (to link a consultation to it)."""
    return readable_cases(staff).filter(petition__number=number.strip()).order_by("-pk").first()


@dataclass(frozen=True)
class LawyerMonth:
    lawyer: str
    firm: str
    month: str  # YYYY-MM
    consultations: int
    people: int
    opinions: int


def counts_by_lawyer(staff: Staff, year: int) -> list[LawyerMonth]:
    """Consultations (and the people they served) and written opinions per lawyer and month of ``year``."""
    found: dict[tuple[str, str, str], list[int]] = {}
    for lawyer, firm, at, people in Consultation.objects.filter(duty__in=duties(staff), at__year=year).values_list(
        "duty__lawyer", "duty__firm", "at", "headcount"
    ):
        row = found.setdefault((lawyer, firm, f"{timezone.localtime(at):%Y-%m}"), [0, 0, 0])
        row[0], row[1] = row[0] + 1, row[1] + people
    for lawyer, firm, day in LawyerOpinion.objects.filter(duty__in=duties(staff), given_on__year=year).values_list(
        "duty__lawyer", "duty__firm", "given_on"
    ):
        found.setdefault((lawyer, firm, f"{day:%Y-%m}"), [0, 0, 0])[2] += 1
    return [LawyerMonth(k[0], k[1], k[2], *v) for k, v in sorted(found.items(), key=lambda kv: (kv[0][2], kv[0][0]))]
