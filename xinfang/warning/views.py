"""The risk board (晴雨表): current hotspots and weak signals for supervisors, analysts and leaders, with
drill-down to the cases the viewer may read; an analyst confirms an alert (drafting its 预警提示函) or dismisses
it with a reason, and issues the approved notice; the responsible organ reads it and replies in writing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.documents.services import DocumentRefused
from xinfang.org.access import staff_required
from xinfang.org.models import Role, Staff

from . import export, selectors, services
from .signals import signal_rules


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "warning/not_allowed.html", status=403)


def _board_context(staff: Staff) -> dict[str, Any]:
    today = timezone.localdate()
    hot, weak = selectors.split(selectors.current_alerts(staff, today))
    return {
        "today": today,
        "hot": hot,
        "weak": weak,
        "notices": selectors.issued_notices(staff),
        "barometer": selectors.barometer(staff, today),
        "params": selectors.params(),
        "signals": signal_rules(),
    }


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_view(staff):
        return _refuse(request)
    context = _board_context(staff)
    barometer = context["barometer"]
    context["charts"] = {
        "days": barometer.days,
        "by_category": barometer.by_category,
        "by_region": barometer.by_region,
    }
    return render(request, "warning/board.html", context)


@staff_required
def board_export(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_view(staff):
        return _refuse(request)
    response = HttpResponse(
        export.workbook(_board_context(staff)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''warning.xlsx"
    return response


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_view(staff):
        return _refuse(request)
    alert = selectors.alert_for(staff, pk)
    if alert is None:
        raise Http404
    own = staff.organ_id == alert.organ_id
    context = {
        "alert": alert,
        "behind": selectors.cases_behind(staff, alert),
        "may_conclude": own and staff.has_role(Role.ANALYST),
        "may_issue": own and alert.notice is not None and alert.reply_due is None,
        "trend": {"start": alert.trend_start.isoformat() if alert.trend_start else "", "counts": alert.trend},
        "today": timezone.localdate(),
    }
    return render(request, "warning/detail.html", context)


@require_POST
@staff_required
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    alert = selectors.alert_for(staff, pk)
    if alert is None or not staff.has_role(Role.ANALYST):
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("action") == "dismiss":
            services.dismiss(alert, staff, reason)
            messages.success(request, "已排除本预警")
        else:
            services.confirm(alert, staff, reason)
            messages.success(request, "已确认本预警，并起草预警提示函，请送本机关负责人审核签发")
    except (services.WarningRefused, DocumentRefused) as refused:
        messages.error(request, str(refused))
    return redirect("warning:detail", pk=alert.pk)


@require_POST
@staff_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    alert = selectors.alert_for(staff, pk)
    if alert is None or staff.organ_id != alert.organ_id:
        raise Http404
    try:
        alert = services.issue_notice(alert, staff)
        messages.success(request, f"预警提示函已印发，书面反馈期满日：{alert.reply_due:%Y年%-m月%-d日}")
    except (services.WarningRefused, DocumentRefused) as refused:
        messages.error(request, str(refused))
    return redirect("warning:detail", pk=alert.pk)


@staff_required
def notices(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    return render(
        request, "warning/notices.html", {"notices": selectors.notices_to(staff), "today": timezone.localdate()}
    )


@require_POST
@staff_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    alert = selectors.notice_for(staff, pk)
    if alert is None:
        raise Http404
    try:
        services.record_reply(alert, staff, request.POST.get("text", ""))
        messages.success(request, "书面反馈已记录")
    except services.WarningRefused as refused:
        messages.error(request, str(refused))
    return redirect("warning:notices")
