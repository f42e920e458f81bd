"""Staff pages of leader cases, appointments, receptions and field visits under /work/leaders/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.intake.services import PetitionInput
from xinfang.lifecycle.context import Refused as TransitionRefused
from xinfang.org.access import staff_required
from xinfang.org.models import Role, Staff

from . import selectors, services
from .forms import (
    AppointmentForm,
    CloseForm,
    FieldVisitForm,
    ProgressForm,
    ReceptionForm,
    ReceptionPetitionForm,
    RescheduleForm,
    TakeForm,
    errors_in_words,
)
from .models import AppointmentStatus


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "leaders/not_allowed.html", status=403)


def _staff(request: HttpRequest) -> Staff:
    return request.staff  # type: ignore[attr-defined]


@staff_required
def mine(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not selectors.may_view(staff):
        return _refuse(request)
    today = timezone.localdate()
    rows = selectors.my_cases(staff, today) if selectors.is_leader(staff) else []
    context = {
        "rows": rows,
        "due": [r for r in rows if r.is_due],
        "closed": selectors.my_closed(staff)[:20],
        "takeable": selectors.takeable(staff)[:20] if selectors.is_leader(staff) else [],
        "is_leader": selectors.is_leader(staff),
        "today": today,
    }
    return render(request, "leaders/mine.html", context)


@staff_required
def organ(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not selectors.may_view(staff):
        return _refuse(request)
    today = timezone.localdate()
    rows = selectors.organ_cases(staff, today)
    start = today.replace(month=1, day=1)
    context = {
        "rows": rows,
        "today": today,
        "counts": selectors.reception_counts(staff, start, today),
        "since": start,
    }
    return render(request, "leaders/organ.html", context)


@staff_required
def take(request: HttpRequest, case: int) -> HttpResponse:
    staff = _staff(request)
    if not selectors.is_leader(staff):
        return _refuse(request)
    found = selectors.case_for(staff, case)
    if found is None:
        raise Http404
    form = TakeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                lc = services.take_case(found, staff, **form.cleaned_data)
            except (services.Refused, TransitionRefused) as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, "已包案")
                return redirect("leaders:detail", pk=lc.pk)
        else:
            messages.error(request, errors_in_words(form))
    return render(request, "leaders/take.html", {"case": found, "form": form})


def _detail_context(staff: Staff, lc: object) -> dict[str, object]:
    case = lc.case  # type: ignore[attr-defined]
    return {
        "lc": lc,
        "case": case,
        "notes": lc.notes.all(),  # type: ignore[attr-defined]
        "appointments": selectors.appointments_of_case(staff, case),
        "is_mine": staff.pk == lc.leader_id,  # type: ignore[attr-defined]
        "progress_form": ProgressForm(),
        "close_form": CloseForm(),
        "appointment_form": AppointmentForm(leaders=services.leaders_for(case)),
        "reschedule_form": RescheduleForm(),
        "statuses": AppointmentStatus,
    }


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    if not selectors.may_view(staff):
        return _refuse(request)
    lc = selectors.leader_case_for(staff, pk)
    if lc is None:
        raise Http404
    return render(request, "leaders/detail.html", _detail_context(staff, lc))


@require_POST
@staff_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    lc = selectors.leader_case_for(staff, pk)
    if lc is None:
        raise Http404
    form = ProgressForm(request.POST)
    try:
        if not form.is_valid():
            raise services.Refused(errors_in_words(form))
        services.record_progress(lc, staff, form.cleaned_data["text"])
        messages.success(request, "已记录进展")
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect("leaders:detail", pk=lc.pk)


@require_POST
@staff_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    lc = selectors.leader_case_for(staff, pk)
    if lc is None:
        raise Http404
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise services.Refused(errors_in_words(form))
        services.close_case(lc, staff, form.cleaned_data["outcome"], form.cleaned_data["reason"])
        messages.success(request, f"包案已结案：{lc.get_outcome_display()}")
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect("leaders:detail", pk=lc.pk)


@require_POST
@staff_required
def book(request: HttpRequest, case: int) -> HttpResponse:
    """约访 from a case: any staff member who may read the case books its petitioner with a leader."""
    staff = _staff(request)
    found = selectors.case_for(staff, case)
    if found is None:
        raise Http404
    form = AppointmentForm(request.POST, leaders=services.leaders_for(found))
    try:
        if not form.is_valid():
            raise services.Refused(errors_in_words(form))
        services.book_appointment(found, staff, **form.cleaned_data)
        messages.success(request, "已预约领导约访，信访人可在查询进度页面看到")
    except services.Refused as refused:
        messages.error(request, str(refused))
    back = request.POST.get("back", "")
    return redirect("leaders:detail", pk=int(back)) if back.isdigit() else redirect("workspace:case", pk=found.pk)


@require_POST
@staff_required
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.appointment_for(staff, pk)
    if found is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "reschedule":
            form = RescheduleForm(request.POST)
            if not form.is_valid():
                raise services.Refused(errors_in_words(form))
            services.reschedule(found, staff, **form.cleaned_data)
            messages.success(request, "已改期")
        else:
            services.mark_appointment(found, staff, action)
            messages.success(request, "已记录到场情况")
    except services.Refused as refused:
        messages.error(request, str(refused))
    back = request.POST.get("back", "")
    return redirect("leaders:detail", pk=int(back)) if back.isdigit() else redirect("leaders:mine")


def _organ_leaders(staff: Staff) -> list[Staff]:
    return [s for s in Staff.objects.filter(organ=staff.organ).select_related("organ") if s.has_role(Role.LEADER)]


@staff_required
def receptions(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not selectors.may_view(staff) and not staff.has_role(Role.REGISTRAR):
        return _refuse(request)
    form = ReceptionForm(request.POST or None, leaders=_organ_leaders(staff))
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise services.Refused(errors_in_words(form))
            services.publish_reception(staff, **form.cleaned_data)
            messages.success(request, "已公布接访安排")
            return redirect("leaders:receptions")
        except services.Refused as refused:
            messages.error(request, str(refused))
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    context = {
        "receptions": selectors.receptions(staff).order_by("-day")[:100],
        "form": form,
        "counts": selectors.reception_counts(staff, start, today),
        "since": start,
        "today": today,
    }
    return render(request, "leaders/receptions.html", context)


@staff_required
def reception(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.reception_for(staff, pk)
    if found is None:
        raise Http404
    form = ReceptionPetitionForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise services.Refused(errors_in_words(form))
            data = PetitionInput(channel="", region_code=staff.organ.region_code, **form.cleaned_data)
            case = services.register_at_reception(found, staff, data)
            messages.success(request, f"已登记接访件 {case.petition.number}")
            return redirect("leaders:reception", pk=found.pk)
        except services.Refused as refused:
            messages.error(request, str(refused))
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
    cases, hidden = selectors.reception_cases(staff, found)
    context = {"reception": found, "cases": cases, "hidden": hidden, "form": form}
    return render(request, "leaders/reception.html", context)


@staff_required
def visits(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not selectors.may_view(staff):
        return _refuse(request)
    form = FieldVisitForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise services.Refused(errors_in_words(form))
            data = dict(form.cleaned_data)
            numbers = [n.strip() for n in data.pop("cases").split() if n.strip()]
            cases = list(selectors.cases_by_numbers(staff, numbers))
            if len({c.petition.number for c in cases}) != len(set(numbers)):
                raise services.Refused("「带案」中有找不到或无权查看的信访件编号")
            services.record_field_visit(staff, cases=cases, **data)
            messages.success(request, "已记录下访")
            return redirect("leaders:visits")
        except services.Refused as refused:
            messages.error(request, str(refused))
    context = {"visits": selectors.field_visits(staff)[:50], "form": form, "is_leader": selectors.is_leader(staff)}
    return render(request, "leaders/visits.html", context)
