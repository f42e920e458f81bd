"""Pages of the 月报 / 季报: request one, watch its progress, download DOCX or PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from xinfang.org.access import staff_required
from xinfang.org.models import Organ, Staff

from .forms import last_quarter
from .models import Report
from .reports import ReportRefused, request_report
from .selectors import may_view, scope_organs


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="报表类型", choices=[("quarterly", "季报"), ("monthly", "月报")])
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, error_messages={"invalid": "「年度」须为四位数字"}
    )
    number = forms.IntegerField(
        label="季度或月份（季报填1至4，月报填1至12）",
        min_value=1,
        max_value=12,
        error_messages={"invalid": "「季度或月份」须为数字", "max_value": "「季度或月份」不得大于12"},
    )
    organ: forms.ModelChoiceField[Organ] = forms.ModelChoiceField(
        label="机关（含下级）", queryset=None, required=False, empty_label="本机关辖区全部"
    )

    def __init__(self, staff: Staff, data: Any = None) -> None:
        start, _end = last_quarter(timezone.localdate())
        initial = {"kind": "quarterly", "year": start.year, "number": (start.month - 1) // 3 + 1}
        super().__init__(data, initial=initial)
        self.fields["organ"].queryset = scope_organs(staff)  # type: ignore[attr-defined]


def _mine(staff: Staff) -> object:
    return Report.objects.filter(root__path__startswith=staff.organ.scope_path)


def _report(staff: Staff, pk: int) -> Report:
    report = _mine(staff).filter(pk=pk).select_related("root").first()  # type: ignore[attr-defined]
    if report is None:
        raise Http404("没有这份报表")
    return report


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return render(request, "analytics/not_allowed.html", status=403)
    form = ReportForm(staff, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            with transaction.atomic():
                report = request_report(staff, c["kind"], c["year"], c["number"], c.get("organ"))
                transaction.on_commit(lambda: _enqueue(report.pk))
        except ReportRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("analytics:report", pk=report.pk)
    listed = _mine(staff).select_related("root")[:50]  # type: ignore[attr-defined]
    status = 400 if request.method == "POST" else 200
    return render(request, "analytics/reports.html", {"form": form, "reports": listed}, status=status)


def _enqueue(pk: int) -> None:
    from .tasks import build_report_task

    build_report_task.enqueue(pk)


@staff_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return render(request, "analytics/not_allowed.html", status=403)
    return render(request, "analytics/report.html", {"report": _report(staff, pk)})


@staff_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return JsonResponse({"error": "无权查看"}, status=403)
    r = _report(staff, pk)
    return JsonResponse(
        {
            "status": r.status,
            "status_display": r.get_status_display(),
            "step": r.step,
            "steps": r.steps,
            "percent": r.percent,
            "note": r.note,
        }
    )


@staff_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return render(request, "analytics/not_allowed.html", status=403)
    r = _report(staff, pk)
    data = bytes(r.docx if fmt == "docx" else r.pdf)
    if fmt not in ("docx", "pdf") or not data:
        raise Http404("报表尚未生成")
    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }
    response = HttpResponse(data, content_type=types[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''report-{r.pk}.{fmt}"
    return response
