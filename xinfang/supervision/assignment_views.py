"""Pages for higher-level assignments (/work/supervision/assignments/) and backlog campaigns (/campaigns/)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from xinfang.org.access import staff_required

from . import selectors, services
from .assignments import RECORDERS, REPORTERS
from .models import Level


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@staff_required
def assignments(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    level = request.GET.get("level", "") if request.GET.get("level", "") in Level.values else ""
    status = request.GET.get("status", "") if request.GET.get("status", "") in ("pending", "late", "reported") else ""
    today = timezone.localdate()
    rows = selectors.assignments_for(staff, level=level, status=status, today=today)[:200]
    context = {
        "rows": rows,
        "levels": Level.choices,
        "level": level,
        "status": status,
        "today": today,
        "statuses": (("pending", "待报结"), ("late", "逾期未报结"), ("reported", "已报结")),
        "may_supervise": selectors.may_supervise(staff),
    }
    return render(request, "supervision/assignments.html", context)


@staff_required
def new_assignment(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not staff.has_role(*RECORDERS):
        return render(request, "supervision/not_allowed.html", status=403)
    raw = request.POST.get("case") or request.GET.get("case", "")
    cases = selectors.readable_by_ids(staff, [int(raw)] if raw.isdigit() else [])
    if not cases:
        raise Http404
    case, status = cases[0], 200
    if request.method == "POST":
        due = _date(request.POST.get("report_due", ""))
        try:
            if due is None:
                raise services.AssignmentRefused("请填写「报结期限」，如 2026-04-10")
            assignment = services.record_assignment(
                case,
                staff,
                level=request.POST.get("level", ""),
                reference=request.POST.get("reference", ""),
                requirement=request.POST.get("requirement", ""),
                report_due=due,
            )
        except services.AssignmentRefused as refused:
            messages.error(request, refused.message)
            status = 400
        else:
            messages.success(request, "已登记上级交办")
            return redirect("supervision:assignment", pk=assignment.pk)
    context = {"case": case, "levels": Level.choices, "values": request.POST}
    return render(request, "supervision/new_assignment.html", context, status=status)


@staff_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    found = selectors.assignment_for(staff, pk)
    if found is None:
        raise Http404
    if request.method == "POST":
        try:
            services.report_assignment(found, staff, request.POST.get("report", ""))
        except services.AssignmentRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "已报送办结报告")
        return redirect("supervision:assignment", pk=pk)
    may_report = (
        found.reported_at is None and staff.organ_id == found.case.acting_organ_id and staff.has_role(*REPORTERS)
    )
    context = {"a": found, "late": found.reported_at is None and found.report_due < timezone.localdate()}
    return render(request, "supervision/assignment.html", {**context, "may_report": may_report})


@staff_required
def campaigns(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    supervise = selectors.may_supervise(staff)
    if request.method == "POST" and supervise:
        ids = [int(v) for v in request.POST.getlist("case") if v.isdigit()]
        cases = {c.pk: c for c in selectors.readable_by_ids(staff, ids)}
        entries = [(cases[i], request.POST.get(f"owner-{i}", "")) for i in ids if i in cases]
        try:
            ends_on = _date(request.POST.get("ends_on", ""))
            if ends_on is None:
                raise services.AssignmentRefused("请填写「截止日期」，如 2026-12-31")
            campaign = services.create_campaign(
                staff,
                name=request.POST.get("name", ""),
                target=request.POST.get("target", ""),
                ends_on=ends_on,
                entries=entries,
            )
        except services.AssignmentRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "已建立积案化解专项")
            return redirect("supervision:campaign", pk=campaign.pk)
    context = {
        "rows": selectors.campaigns_for(staff),
        "candidates": selectors.overdue_cases(staff, timezone.localdate()) if supervise else [],
        "may_supervise": supervise,
    }
    return render(request, "supervision/campaigns.html", context)


@staff_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    found = selectors.campaign_for(staff, pk)
    if found is None:
        raise Http404
    if request.method == "POST":
        entry = found.entries.filter(pk=request.POST.get("entry", "0") or 0).first()
        try:
            if entry is None:
                raise services.AssignmentRefused("请选择积案")
            services.record_progress(
                entry, staff, resolved=request.POST.get("resolved") == "yes", note=request.POST.get("note", "")
            )
        except services.AssignmentRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "已登记化解进展")
        return redirect("supervision:campaign", pk=pk)
    entries = selectors.campaign_entries(staff, found)
    context = {
        "campaign": found,
        "entries": entries,
        "total": found.entries.count(),
        "resolved": found.entries.filter(resolved=True).count(),
        "may_update": staff.organ_id == found.organ_id and selectors.may_supervise(staff),
    }
    return render(request, "supervision/campaign.html", context)
