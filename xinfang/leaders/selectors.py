"""Reads of the leaders app, each scoped: cases only through `lifecycle.visibility.readable_cases`, records of
the viewer's organ and the organs it oversees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import NON_TERMINAL
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.models import Role, Staff
from xinfang.warning.models import Alert

from .models import (
    Appointment,
    Conference,
    Decision,
    FieldVisit,
    LeaderCase,
    ReceptionDay,
    RhythmReport,
)

VIEWERS = (Role.LEADER, Role.SUPERVISOR, Role.ANALYST)


def is_leader(staff: Staff) -> bool:
    return staff.has_role(Role.LEADER)


def may_view(staff: Staff) -> bool:
    return staff.has_role(*VIEWERS)


@dataclass(frozen=True)
class Row:
    lc: LeaderCase
    last_progress: dt.datetime
    due: dt.date  # the day the next progress note is due
    today: dt.date

    @property
    def is_due(self) -> bool:
        """Progress is due on or after its day (the rhythm is a platform setting, not a statutory period)."""
        return self.lc.is_open and self.today >= self.due


def _rows(qs: QuerySet[LeaderCase], today: dt.date) -> list[Row]:
    rows = []
    for lc in qs.select_related("case__petition__matter", "case__organ", "leader", "organ").prefetch_related("notes"):
        notes = list(lc.notes.all())
        last = notes[-1].at if notes else lc.taken_at
        due = _local(last) + dt.timedelta(days=lc.rhythm_days)
        rows.append(Row(lc, last, due, today))
    return rows


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def my_cases(staff: Staff, today: dt.date) -> list[Row]:
    """The leader's own open cases, the one whose progress is due first on top."""
    qs = LeaderCase.objects.filter(leader=staff, closed_at__isnull=True, case__in=readable_cases(staff))
    return sorted(_rows(qs, today), key=lambda r: (r.due, r.lc.pk))


def my_closed(staff: Staff) -> QuerySet[LeaderCase]:
    return LeaderCase.objects.filter(leader=staff, closed_at__isnull=False).select_related("case__petition")


def organ_cases(staff: Staff, today: dt.date) -> list[Row]:
    """The leader cases of the viewer's organ and the organs it oversees, whose case the viewer may read."""
    qs = LeaderCase.objects.filter(organ__path__startswith=staff.organ.scope_path, case__in=readable_cases(staff))
    return _rows(qs, today)


def leader_case_for(staff: Staff, pk: int) -> LeaderCase | None:
    qs = LeaderCase.objects.filter(pk=pk, organ__path__startswith=staff.organ.scope_path)
    lc = qs.filter(case__in=readable_cases(staff)).select_related("case__petition", "case__organ", "leader").first()
    return lc


def case_for(staff: Staff, pk: int) -> Case | None:
    return readable_cases(staff).filter(pk=pk).select_related("petition", "organ").first()


def takeable(staff: Staff) -> QuerySet[Case]:
    """Open cases the leader may take: readable, not final, of the leader's organ or organs it oversees."""
    return (
        readable_cases(staff)
        .filter(state__in=NON_TERMINAL, organ__path__startswith=staff.organ.path)
        .exclude(pk__in=LeaderCase.objects.filter(leader=staff, closed_at__isnull=True).values("case"))
        .select_related("petition__matter", "organ")
        .order_by("-updated_at")
    )


def appointments_of_case(staff: Staff, case: Case) -> QuerySet[Appointment]:
    return Appointment.objects.filter(case=case, case__in=readable_cases(staff)).select_related("leader")


def appointment_for(staff: Staff, pk: int) -> Appointment | None:
    return Appointment.objects.filter(pk=pk, case__in=readable_cases(staff)).select_related("case", "leader").first()


def receptions(staff: Staff) -> QuerySet[ReceptionDay]:
    return ReceptionDay.objects.filter(organ__path__startswith=staff.organ.scope_path).select_related("organ", "leader")


def reception_for(staff: Staff, pk: int) -> ReceptionDay | None:
    return receptions(staff).filter(pk=pk).first()


@dataclass(frozen=True)
class ReceptionCounts:
    receptions: int  # 接访次数: reception days held
    petitions: int  # petitions registered at them
    concluded: int  # of those, matters no longer open anywhere


def reception_counts(staff: Staff, start: dt.date, end: dt.date) -> ReceptionCounts:
    days = receptions(staff).filter(day__range=(start, end))
    petition_ids = set(days.values_list("petitions", flat=True)) - {None}
    open_matters = Case.objects.filter(petition__in=petition_ids, state__in=NON_TERMINAL).values("petition")
    concluded = len(petition_ids - set(open_matters.values_list("petition", flat=True)))
    return ReceptionCounts(days.count(), len(petition_ids), concluded)


def reception_cases(staff: Staff, reception: ReceptionDay) -> tuple[list[Case], int]:
    """The first cases of the petitions registered at a reception that the viewer may read; the rest counted."""
    ids = list(reception.petitions.values_list("pk", flat=True))
    cases = list(
        readable_cases(staff).filter(petition__in=ids, parent=None).select_related("petition__matter", "organ")
    )
    return cases, len(ids) - len({c.petition_id for c in cases})


def field_visits(staff: Staff) -> QuerySet[FieldVisit]:
    return FieldVisit.objects.filter(organ__path__startswith=staff.organ.scope_path).select_related("leader", "organ")


def conferences(staff: Staff) -> QuerySet[Conference]:
    """Conferences the viewer's organ convened or is a member of, and those of the organs it oversees."""
    path = staff.organ.scope_path
    mine = Conference.objects.filter(organ__path__startswith=path)
    member = Conference.objects.filter(members=staff.organ)
    return (mine | member).distinct().select_related("organ")


def conference_for(staff: Staff, pk: int) -> Conference | None:
    return conferences(staff).filter(pk=pk).first()


def decisions_for_organ(staff: Staff) -> QuerySet[Decision]:
    """The decisions assigned to the viewer's organ, still to be done: the workspace queue's section."""
    return Decision.objects.filter(organ=staff.organ, done_at__isnull=True).select_related("conference")


def overdue_decisions(staff: Staff, today: dt.date) -> QuerySet[Decision]:
    """Decisions past their deadline, not done: of conferences the viewer sees, or assigned to the viewer's
    organ or organs it oversees."""
    path = staff.organ.scope_path
    return (
        Decision.objects.filter(done_at__isnull=True, deadline__lt=today)
        .filter(organ__path__startswith=path)
        .select_related("conference", "organ")
    )


def decision_for(staff: Staff, pk: int) -> Decision | None:
    return Decision.objects.filter(pk=pk, organ=staff.organ).select_related("conference").first()


def alert_for(staff: Staff, pk: int) -> Alert | None:
    return Alert.objects.filter(pk=pk, organ__path__startswith=staff.organ.scope_path).first()


@dataclass(frozen=True)
class AgendaRow:
    title: str
    number: str  # the linked case's petition number, only if the viewer may read that case
    linked: bool
    alert: str


def agenda_rows(staff: Staff, conference: Conference) -> list[AgendaRow]:
    """The agenda as the viewer may see it: a member organ that may not read a linked case (an accused organ,
    Art. 30(3)) sees that a case is linked, never which."""
    linked = conference.agenda.values("case")
    readable = set(readable_cases(staff).filter(pk__in=linked).values_list("pk", flat=True))
    rows = []
    for item in conference.agenda.select_related("case__petition", "alert"):
        number = item.case.petition.number if item.case is not None and item.case.pk in readable else ""
        rows.append(AgendaRow(item.title, number, item.case is not None, item.alert.topic if item.alert else ""))
    return rows


def alerts(staff: Staff) -> QuerySet[Alert]:
    return Alert.objects.filter(organ__path__startswith=staff.organ.scope_path).order_by("-day")[:50]


def reports(staff: Staff) -> QuerySet[RhythmReport]:
    return RhythmReport.objects.filter(organ=staff.organ)


def report_for(staff: Staff, pk: int) -> RhythmReport | None:
    return reports(staff).filter(pk=pk).first()


def cases_by_numbers(staff: Staff, numbers: list[str]) -> QuerySet[Case]:
    """The first cases of the petitions with these numbers that the viewer may read."""
    return readable_cases(staff).filter(petition__number__in=numbers).select_related("petition")
