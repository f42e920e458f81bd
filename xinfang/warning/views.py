"""The risk board (晴雨表): current hotspots for supervisors, analysts and leaders, with drill-down to the cases
the viewer may read; an analyst confirms an alert (drafting its 预警提示函) or dismisses it with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.documents.services import DocumentRefused
from xinfang.org.access import staff_required
from xinfang.org.models import Role

from . import selectors, services


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "warning/not_allowed.html", status=403)


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_view(staff):
        return _refuse(request)
    today = timezone.localdate()
    alerts = selectors.current_alerts(staff, today)
    return render(request, "warning/board.html", {"alerts": alerts, "today": today, "params": selectors.params()})


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_view(staff):
        return _refuse(request)
    alert = selectors.alert_for(staff, pk)
    if alert is None:
        raise Http404
    context = {
        "alert": alert,
        "behind": selectors.cases_behind(staff, alert),
        "may_conclude": staff.organ_id == alert.organ_id and staff.has_role(Role.ANALYST),
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
            document = services.confirm(alert, staff, reason)
            messages.success(request, f"已确认本预警，并起草预警提示函（文书编号 {document.pk}）")
    except (services.WarningRefused, DocumentRefused) as refused:
        messages.error(request, str(refused))
    return redirect("warning:detail", pk=alert.pk)
