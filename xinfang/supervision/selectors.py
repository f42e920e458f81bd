"""Reads of supervision, each scoped to the viewer: orders and recommendations of the viewer's bureau and the
bureaus under it, or addressed to the viewer's organ; their cases only through `lifecycle.visibility`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as Switch
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from xinfang.deadlines.selectors import organ_rules
from xinfang.lifecycle.models import Case, Clock, ClockStatus
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Organ, Role, Staff
from xinfang.rules.checklists import default_checklist

from .models import (
    WAITING,
    Assignment,
    Campaign,
    Kind,
    Level,
    Order,
    OrderState,
    Recommendation,
    RecState,
    Review,
    ReviewItem,
)
from .reviews import REVIEWABLE

OVERSIGHT = (Role.SUPERVISOR, Role.ANALYST, Role.LEADER)


def may_supervise(staff: Staff) -> bool:
    return staff.has_role(Role.SUPERVISOR) and staff.organ.is_petition_bureau


def may_record_assignment(staff: Staff) -> bool:
    return staff.has_role(Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.SUPERVISOR)


def _oversight_q(staff: Staff, field: str) -> Q:
    """Orders of the viewer's bureau and those under it (for overseers), or addressed to the viewer's organ."""
    mine = Q(**{f"{field}_id": staff.organ_id})
    if staff.has_role(*OVERSIGHT):
        return mine | Q(organ__path__startswith=staff.organ.scope_path)
    return mine


def orders_for(staff: Staff) -> QuerySet[Order]:
    """Waiting orders first (the earliest answer date first), then answered and closed ones."""
    rank = Switch(When(state__in=WAITING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Order.objects.filter(_oversight_q(staff, "handling_organ"))
        .select_related("organ", "handling_organ", "letter")
        .annotate(rank=rank)
        .order_by("rank", "deadline", "pk")
    )


def order_for(staff: Staff, pk: int) -> Order | None:
    return orders_for(staff).filter(pk=pk).first()


def waiting_for_organ(staff: Staff) -> QuerySet[Order]:
    """The orders the viewer's organ owes an answer to (its queue)."""
    return orders_for(staff).filter(handling_organ=staff.organ, state__in=WAITING)


def supervising(staff: Staff) -> QuerySet[Order]:
    """The supervisor's open orders: those of the viewer's bureau still waiting for an answer."""
    return orders_for(staff).filter(organ=staff.organ, state__in=WAITING)


def is_late(item: Any, today: dt.date) -> bool:
    if isinstance(item, Order):
        return item.waiting and item.deadline < today
    return item.state == RecState.SERVED and item.feedback_due is not None and item.feedback_due < today


@dataclass(frozen=True)
class Behind:
    cases: list[Case]
    hidden: int


def cases_of(staff: Staff, item: Order | Recommendation) -> Behind:
    """The item's cases the viewer may read; the rest are only counted."""
    ids = list(item.cases.values_list("pk", flat=True))
    cases = list(
        readable_cases(staff).filter(pk__in=ids).select_related("petition", "organ").order_by("received_at", "pk")
    )
    return Behind(cases, len(ids) - len(cases))


def overdue_cases(staff: Staff, today: dt.date, limit: int = 100) -> list[Case]:
    """Cases the viewer may read with a running duty past its legal last day: the candidates for an order."""
    clocks = (
        Clock.objects.filter(
            case__in=readable_cases(staff).values("pk"),
            status=ClockStatus.RUNNING,
            rule__in=organ_rules("duty"),
            legal_last_day__lt=today,
        )
        .select_related("case__petition", "case__acting_organ")
        .order_by("legal_last_day", "pk")
    )
    seen: dict[int, Case] = {}
    for clock in clocks[: limit * 3]:
        case = clock.case
        if case.pk not in seen:
            case.late_clock = clock  # type: ignore[attr-defined]
            seen[case.pk] = case
    return list(seen.values())[:limit]


def readable_by_ids(staff: Staff, ids: list[int]) -> list[Case]:
    return list(readable_cases(staff).filter(pk__in=ids).select_related("petition", "acting_organ"))


def recommendations_for(staff: Staff) -> QuerySet[Recommendation]:
    """A recommendation to pursue responsibility only for the issuing bureau and the addressee."""
    concerned = Q(organ=staff.organ) | Q(addressee=staff.organ)
    scope = _oversight_q(staff, "addressee")
    return (
        Recommendation.objects.filter(scope)
        .filter(~Q(kind=Kind.ACCOUNTABILITY) | concerned)
        .select_related("organ", "addressee", "letter")
        .order_by("-created_at", "pk")
    )


def recommendation_for(staff: Staff, pk: int) -> Recommendation | None:
    return recommendations_for(staff).filter(pk=pk).first()


def addressable_organs(staff: Staff) -> list[Organ]:
    """Organs the bureau may address: those it oversees, and its own government (Art. 40 ¶2)."""
    bureau = staff.organ
    organs = [
        o for o in Organ.objects.filter(path__startswith=bureau.scope_path).order_by("path") if bureau.oversees(o)
    ]
    if bureau.superior is not None and bureau.superior not in organs:
        organs.insert(0, bureau.superior)
    return [o for o in organs if o.pk != bureau.pk]


def home_sections(staff: Staff, today: dt.date) -> dict[str, Any]:
    """For the home page: a supervisor's open orders and late feedback; the orders the viewer's organ owes."""
    supervised = list(supervising(staff)[:20]) if may_supervise(staff) else []
    late_feedback = (
        list(recommendations_for(staff).filter(organ=staff.organ, state=RecState.SERVED, feedback_due__lt=today))
        if may_supervise(staff)
        else []
    )
    owed = list(waiting_for_organ(staff)[:20])
    return {
        "supervision_open": [(o, is_late(o, today)) for o in supervised],
        "supervision_late_feedback": late_feedback,
        "supervision_owed": [(o, is_late(o, today)) for o in owed],
        "supervision_shown": may_supervise(staff) or bool(owed),
    }


# Quality review (评查).


def reviewable_cases(staff: Staff, limit: int = 100) -> list[Case]:
    """Handled cases the viewer may read and has not yet reviewed: candidates for a review batch."""
    reviewed = Review.objects.filter(organ=staff.organ).values("case_id")
    return list(
        readable_cases(staff)
        .filter(state__in=REVIEWABLE)
        .exclude(pk__in=reviewed)
        .select_related("petition", "organ")
        .order_by("-updated_at", "pk")[:limit]
    )


def reviews_for(staff: Staff) -> QuerySet[Review]:
    """Reviews made by the viewer's bureau and those under it, or of the viewer's organ."""
    scope = Q(reviewed_organ=staff.organ)
    if staff.has_role(*OVERSIGHT):
        scope |= Q(organ__path__startswith=staff.organ.scope_path)
    return Review.objects.filter(scope).select_related("case__petition", "reviewed_organ", "organ", "reviewer")


def review_for(staff: Staff, pk: int) -> Review | None:
    return reviews_for(staff).filter(pk=pk).first()


@dataclass(frozen=True)
class ItemRow:
    key: str
    label: str
    basis: str
    computed: str
    result: str
    note: str


def review_rows(review: Review) -> list[ItemRow]:
    version = default_checklist().version(review.version)
    stored = {i.key: i for i in review.items.all()}
    return [
        ItemRow(
            i.key,
            i.label,
            i.citation.short(),
            stored[i.key].get_computed_display() if stored[i.key].computed else "需人工判断",
            stored[i.key].result or stored[i.key].computed,
            stored[i.key].note,
        )
        for i in version.items
    ]


@dataclass(frozen=True)
class OrganResult:
    organ: str
    reviewed: int
    cells: list[tuple[int, int]]  # per checklist item: (符合, 不符合)


def results_by_organ(staff: Staff) -> tuple[list[str], list[OrganResult]]:
    """Confirmed reviews counted per reviewed organ × checklist item (statistics read the same numbers)."""
    version = default_checklist().version_on(timezone.localdate())
    keys = [i.key for i in version.items]
    counts = (
        ReviewItem.objects.filter(review__in=reviews_for(staff).filter(confirmed_at__isnull=False).values("pk"))
        .values("review__reviewed_organ__name", "key", "result")
        .annotate(n=Count("pk"))
    )
    table: dict[str, dict[tuple[str, str], int]] = {}
    for row in counts:
        table.setdefault(row["review__reviewed_organ__name"], {})[(row["key"], row["result"])] = row["n"]
    reviewed = dict(
        reviews_for(staff)
        .filter(confirmed_at__isnull=False)
        .values_list("reviewed_organ__name")
        .annotate(n=Count("pk"))
        .values_list("reviewed_organ__name", "n")
    )
    rows = [
        OrganResult(name, reviewed.get(name, 0), [(cells.get((k, "pass"), 0), cells.get((k, "fail"), 0)) for k in keys])
        for name, cells in sorted(table.items())
    ]
    return [i.label for i in version.items], rows


# Higher-level assignments and backlog campaigns.


def assignments_for(
    staff: Staff, *, level: str = "", status: str = "", today: dt.date | None = None
) -> QuerySet[Assignment]:
    """Assignments on cases the viewer may read, filtered by level and by status (pending | late | reported)."""
    found = Assignment.objects.filter(case__in=readable_cases(staff).values("pk")).select_related(
        "case__petition", "case__organ"
    )
    if level:
        found = found.filter(level=level)
    if status == "reported":
        found = found.filter(reported_at__isnull=False)
    elif status == "pending":
        found = found.filter(reported_at__isnull=True)
    elif status == "late":
        found = found.filter(reported_at__isnull=True, report_due__lt=today or timezone.localdate())
    return found.order_by("reported_at", "report_due", "pk")


def assignment_for(staff: Staff, pk: int) -> Assignment | None:
    return assignments_for(staff).filter(pk=pk).first()


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    total: int
    resolved: int


def campaigns_for(staff: Staff) -> list[CampaignRow]:
    """Campaigns of the viewer's bureau and those under it (overseers) or listing the viewer's organ's cases."""
    scope = Q(entries__case__organ=staff.organ)
    if staff.has_role(*OVERSIGHT):
        scope |= Q(organ__path__startswith=staff.organ.scope_path)
    campaigns = (
        Campaign.objects.filter(scope)
        .distinct()
        .annotate(
            total=Count("entries", distinct=True),
            done=Count("entries", filter=Q(entries__resolved=True), distinct=True),
        )
        .order_by("-created_at", "pk")
    )
    return [CampaignRow(c, c.total, c.done) for c in campaigns]


def campaign_for(staff: Staff, pk: int) -> Campaign | None:
    ids = {row.campaign.pk for row in campaigns_for(staff)}
    return Campaign.objects.filter(pk=pk).first() if pk in ids else None


def campaign_entries(staff: Staff, campaign: Campaign) -> Behind:
    """The campaign's cases the viewer may read (with owner and progress); the rest only counted."""
    readable = set(readable_cases(staff).values_list("pk", flat=True).filter(pk__in=campaign.entries.values("case_id")))
    entries = list(campaign.entries.select_related("case__petition", "case__organ").order_by("pk"))
    shown = [e for e in entries if e.case_id in readable]
    return Behind(shown, len(entries) - len(shown))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Statistics:
    orders: list[tuple[str, int]]  # state label, count
    orders_late: int
    recommendations: list[tuple[str, int, int, int]]  # kind label, issued, adopted, feedback late
    assignments: list[tuple[str, int, int, int]]  # level label, total, reported, late (unreported past due)
    review_labels: list[str]
    review_rows: list[OrganResult]


def statistics(staff: Staff, today: dt.date) -> Statistics:
    """The supervision figures of the viewer's scope, for the statistics page (analytics)."""
    orders = orders_for(staff)
    by_state = dict(orders.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    recs = recommendations_for(staff).exclude(state=RecState.DRAFT)
    rec_rows = []
    for kind, label in Kind.choices:
        mine = recs.filter(kind=kind)
        late = mine.filter(Q(late_since__isnull=False) | Q(state=RecState.SERVED, feedback_due__lt=today))
        rec_rows.append((label, mine.count(), mine.filter(adopted=True).count(), late.count()))
    assigned = assignments_for(staff)
    assignment_rows = []
    for level, label in Level.choices:
        of_level = assigned.filter(level=level)
        overdue = of_level.filter(reported_at__isnull=True, report_due__lt=today)
        reported = of_level.filter(reported_at__isnull=False)
        assignment_rows.append((label, of_level.count(), reported.count(), overdue.count()))
    labels, rows = results_by_organ(staff)
    return Statistics(
        orders=[(label, by_state.get(value, 0)) for value, label in OrderState.choices],
        orders_late=orders.filter(state__in=WAITING, deadline__lt=today).count(),
        recommendations=rec_rows,
        assignments=assignment_rows,
        review_labels=labels,
        review_rows=rows,
    )
