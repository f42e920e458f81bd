"""Grid pages under /work/grid/, made for a phone (360 px): report a dispute, conclude it, or register it as a
petition with the registration form filled from the report. Thin views over `selectors` and `services`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.org.access import staff_required

from . import selectors, services
from .forms import ConcludeForm, PetitionForm, ReportForm, problems
from .models import Outcome, Report


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    context = {
        "posts": selectors.posts(staff),
        "counts": selectors.counts_by_area(staff, first, today),
        "reports": selectors.reports(staff)[:100],
        "first": first,
        "today": today,
        "outcomes": Outcome,
    }
    return render(request, "grid/index.html", context)


@staff_required
def new_report(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    areas = selectors.posts(staff)
    if not areas.exists():
        return render(request, "grid/not_a_worker.html", status=403)
    form = ReportForm(request.POST or None, areas=areas)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.report(
                    staff,
                    data["area"],
                    kind=data["kind"],
                    place=data["place"],
                    parties=data["parties"],
                    description=data["description"],
                )
            except services.GridRefused as refused:
                messages.error(request, f"未能上报：{refused.message}")
            else:
                messages.success(request, "已上报。")
                return redirect("grid:detail", pk=made.pk)
        else:
            messages.error(request, f"未能上报：{problems(form)}")
    return render(request, "grid/report.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _report(request: HttpRequest, pk: int) -> Report:
    found = selectors.report_for(request.staff, pk)  # type: ignore[attr-defined]
    if found is None:
        raise Http404("没有这条上报，或您无权查看")
    return found


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    may_handle = report.outcome == Outcome.OPEN and services.may_handle(request.staff, report)  # type: ignore[attr-defined]
    return render(
        request, "grid/detail.html", {"report": report, "may_handle": may_handle, "form": ConcludeForm(prefix="c")}
    )


@require_POST
@staff_required
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = ConcludeForm(request.POST, prefix="c")
    if not form.is_valid():
        messages.error(request, f"未能登记处置结果：{problems(form)}")
        return redirect("grid:detail", pk=report.pk)
    try:
        services.conclude(report, request.staff, **form.cleaned_data)  # type: ignore[attr-defined]
        messages.success(request, "已登记处置结果。")
    except services.GridRefused as refused:
        messages.error(request, f"未能登记处置结果：{refused.message}")
    return redirect("grid:detail", pk=report.pk)


@staff_required
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    staff = request.staff  # type: ignore[attr-defined]
    if not (report.outcome == Outcome.OPEN and services.may_handle(staff, report)):
        messages.error(request, "该纠纷已处置，或您不能将其转为信访事项")
        return redirect("grid:detail", pk=report.pk)
    form = PetitionForm(request.POST or None, initial=services.prefill(report))
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.to_petition(report, staff, **form.cleaned_data)
            except services.GridRefused as refused:
                messages.error(request, f"未能转为信访事项：{refused.message}")
            else:
                messages.success(request, f"已登记为信访件 {case.petition.number}。")
                return redirect("grid:detail", pk=report.pk)
        else:
            messages.error(request, f"未能转为信访事项：{problems(form)}")
    context = {"report": report, "form": form}
    return render(request, "grid/petition.html", context, status=400 if request.method == "POST" else 200)
