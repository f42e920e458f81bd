"""Staff pages of the joint conference under /work/leaders/conferences/ and the rhythm reports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.org.access import staff_required
from xinfang.org.models import Organ, Staff

from . import conference as services
from . import rhythm, selectors
from .forms import (
    AgendaForm,
    ConferenceForm,
    DecisionDoneForm,
    DecisionForm,
    FileReportForm,
    ReportForm,
    errors_in_words,
)
from .services import Refused


def _staff(request: HttpRequest) -> Staff:
    return request.staff  # type: ignore[attr-defined]


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "leaders/not_allowed.html", status=403)


def _member_organs(staff: Staff) -> object:
    return Organ.objects.filter(path__startswith=staff.organ.scope_path).order_by("path")


@staff_required
def conferences(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    may_convene = services.may_convene(staff)
    form = ConferenceForm(request.POST or None, organs=_member_organs(staff))
    if request.method == "POST":
        if not may_convene:
            return _refuse(request)
        try:
            if not form.is_valid():
                raise Refused(errors_in_words(form))
            data = dict(form.cleaned_data)
            conference = services.record_conference(staff, members=list(data.pop("members")), **data)
            messages.success(request, "已记录联席会议")
            return redirect("leaders:conference", pk=conference.pk)
        except Refused as refused:
            messages.error(request, str(refused))
    today = timezone.localdate()
    context = {
        "conferences": selectors.conferences(staff)[:50],
        "assigned": selectors.decisions_for_organ(staff),
        "overdue": selectors.overdue_decisions(staff, today),
        "form": form if may_convene else None,
        "today": today,
    }
    return render(request, "leaders/conferences.html", context)


def _conference_context(staff: Staff, conference: object, **forms: object) -> dict[str, object]:
    may_edit = staff.organ_id == conference.organ_id and services.may_convene(staff)  # type: ignore[attr-defined]
    return {
        "conference": conference,
        "agenda": selectors.agenda_rows(staff, conference),  # type: ignore[arg-type]
        "decisions": conference.decisions.select_related("organ", "item"),  # type: ignore[attr-defined]
        "may_edit": may_edit,
        "agenda_form": forms.get("agenda_form") or AgendaForm(alerts=selectors.alerts(staff)),
        "decision_form": forms.get("decision_form") or DecisionForm(conference=conference),
        "today": timezone.localdate(),
    }


@staff_required
def conference(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.conference_for(staff, pk)
    if found is None:
        raise Http404
    return render(request, "leaders/conference.html", _conference_context(staff, found))


@require_POST
@staff_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.conference_for(staff, pk)
    if found is None:
        raise Http404
    form = AgendaForm(request.POST, alerts=selectors.alerts(staff))
    try:
        if not form.is_valid():
            raise Refused(errors_in_words(form))
        number = form.cleaned_data["case_number"].strip()
        case = selectors.cases_by_numbers(staff, [number]).order_by("-pk").first() if number else None
        if number and case is None:
            raise Refused("「关联信访件编号」找不到或无权查看")
        alert_pk = form.cleaned_data["alert"]
        alert = selectors.alert_for(staff, alert_pk) if alert_pk else None
        services.add_agenda_item(found, staff, title=form.cleaned_data["title"], case=case, alert=alert)
        messages.success(request, "已添加议题")
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("leaders:conference", pk=found.pk)


@require_POST
@staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.conference_for(staff, pk)
    if found is None:
        raise Http404
    form = DecisionForm(request.POST, conference=found)
    try:
        if not form.is_valid():
            raise Refused(errors_in_words(form))
        data = dict(form.cleaned_data)
        item_pk = data.pop("item")
        item = found.agenda.filter(pk=item_pk).first() if item_pk else None
        services.add_decision(found, staff, item=item, **data)
        messages.success(request, "已交办议定事项")
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("leaders:conference", pk=found.pk)


@require_POST
@staff_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.decision_for(staff, pk)
    if found is None:
        raise Http404
    form = DecisionDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(errors_in_words(form))
        services.complete_decision(found, staff, form.cleaned_data["report"])
        messages.success(request, "已报送落实情况")
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("leaders:conferences")


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if not services.may_convene(staff):
        return _refuse(request)
    form = ReportForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise Refused(errors_in_words(form))
            report = services.generate_report(staff, form.cleaned_data["kind"], form.cleaned_data["day"])
            messages.success(request, "已生成草稿，请完善后报送")
            return redirect("leaders:report", pk=report.pk)
        except Refused as refused:
            messages.error(request, str(refused))
    return render(request, "leaders/reports.html", {"reports": selectors.reports(staff)[:50], "form": form})


@staff_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    found = selectors.report_for(staff, pk)
    if found is None or not services.may_convene(staff):
        raise Http404
    form = FileReportForm(request.POST or None, initial={"text": found.text})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise Refused(errors_in_words(form))
            services.file_report(found, staff, form.cleaned_data["text"])
            messages.success(request, "已报送")
            return redirect("leaders:report", pk=found.pk)
        except Refused as refused:
            messages.error(request, str(refused))
    context = {"report": found, "form": form, "label": rhythm.kind_label(found.kind)}
    return render(request, "leaders/report.html", context)
