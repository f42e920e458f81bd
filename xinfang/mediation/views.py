"""Staff pages of 访调对接 under /work/mediation/: thin views over `selectors` and `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import can_read
from xinfang.org.access import staff_required

from . import selectors, services
from .forms import ConfirmationForm, EndForm, SessionForm, problems
from .models import Referral


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    context = {
        "referrals": selectors.referrals(staff)[:200],
        "counts": selectors.counts(staff, first, today),
        "first": first,
        "today": today,
    }
    return render(request, "mediation/index.html", context)


@require_POST
@staff_required
def refer(request: HttpRequest, case_pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    case = Case.objects.select_related("petition", "organ", "acting_organ").filter(pk=case_pk).first()
    if case is None or not can_read(staff, case):
        raise Http404("没有这个案件，或您无权查看")
    form = selectors.refer_form(case, request.POST)
    if not form.is_valid():
        messages.error(request, f"未能移交调解：{problems(form)}")
        return redirect("workspace:case", pk=case.pk)
    data = form.cleaned_data
    try:
        referral = services.refer(
            case,
            staff,
            mode=data["mode"],
            body=data["body"],
            mediator=data["mediator"],
            other_party=data["other_party"],
            consent=data["consent"],
            consent_on=data["consent_on"],
        )
    except services.MediationRefused as refused:
        messages.error(request, f"未能移交调解：{refused.message}")
        return redirect("workspace:case", pk=case.pk)
    messages.success(request, "已移交调解，请登记每次调解的情况。")
    return redirect("mediation:detail", pk=referral.pk)


def _referral(request: HttpRequest, pk: int) -> Referral:
    referral = selectors.referral_for(request.staff, pk)  # type: ignore[attr-defined]
    if referral is None:
        raise Http404("没有这次调解，或您无权查看")
    return referral


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    staff = request.staff  # type: ignore[attr-defined]
    context = {
        "referral": referral,
        "case": referral.case,
        "sessions": referral.sessions.all(),
        "may_conduct": selectors.may_conduct(staff, referral),
        "session_form": SessionForm(initial={"held_on": timezone.localdate()}, prefix="session"),
        "end_form": EndForm(prefix="end"),
        "confirmation_form": ConfirmationForm(prefix="confirm"),
    }
    return render(request, "mediation/detail.html", context)


def _post(request: HttpRequest, pk: int, form_class: Any, prefix: str, what: str) -> tuple[Referral, Any]:
    referral = _referral(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, f"未能{what}：{problems(form)}")
        return referral, None
    return referral, form.cleaned_data


@require_POST
@staff_required
def session(request: HttpRequest, pk: int) -> HttpResponse:
    referral, data = _post(request, pk, SessionForm, "session", "登记调解记录")
    if data is not None:
        try:
            services.record_session(referral, request.staff, **data)  # type: ignore[attr-defined]
            messages.success(request, "已登记调解记录。")
        except services.MediationRefused as refused:
            messages.error(request, f"未能登记调解记录：{refused.message}")
    return redirect("mediation:detail", pk=referral.pk)


@require_POST
@staff_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    try:
        document = services.draft_agreement(referral, request.staff)  # type: ignore[attr-defined]
    except services.MediationRefused as refused:
        messages.error(request, f"未能起草协议书：{refused.message}")
        return redirect("mediation:detail", pk=referral.pk)
    messages.success(request, "已起草协议书：请按当事人签署的协议补全各项内容，核对后印发；印发即达成协议。")
    return redirect("documents:detail", pk=document.pk)


@require_POST
@staff_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    referral, data = _post(request, pk, EndForm, "end", "结束调解")
    if data is not None:
        try:
            services.end_without_agreement(referral, request.staff, reason=data["reason"])  # type: ignore[attr-defined]
            messages.success(request, "调解未成，案件回到调解前的办理环节；调解期间计入办理期限。")
        except services.MediationRefused as refused:
            messages.error(request, f"未能结束调解：{refused.message}")
    return redirect("mediation:detail", pk=referral.pk)


@require_POST
@staff_required
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    referral, data = _post(request, pk, ConfirmationForm, "confirm", "登记司法确认")
    if data is not None:
        try:
            services.record_judicial_confirmation(referral, request.staff, **data)  # type: ignore[attr-defined]
            messages.success(request, "已登记司法确认。")
        except services.MediationRefused as refused:
            messages.error(request, f"未能登记司法确认：{refused.message}")
    return redirect("mediation:detail", pk=referral.pk)
