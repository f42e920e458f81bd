"""Staff pages of 访调对接 under /work/mediation/: thin views over `selectors` and `services`."""

from __future__ import annotations

from datetime import timedelta
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
from .forms import ConfirmationForm, ConsultationForm, EndForm, OpinionForm, SessionForm, problems
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


# --- lawyers on duty --------------------------------------------------------------------------------


def _consultation_form(staff: Any, data: Any = None) -> ConsultationForm:
    return ConsultationForm(data, duties=selectors.on_duty_here(staff, timezone.localdate()), prefix="consult")


@staff_required
def lawyers(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    context = {
        "duties": selectors.duties(staff).filter(ends_on__gte=today - timedelta(days=31)).order_by("starts_on"),
        "consultations": selectors.consultations(staff),
        "counts": selectors.counts_by_lawyer(staff, today.year),
        "year": today.year,
        "form": _consultation_form(staff),
        "may_record": selectors.on_duty_here(staff, today).exists(),
    }
    return render(request, "mediation/lawyers.html", context)


@require_POST
@staff_required
def consultation(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    form = _consultation_form(staff, request.POST)
    if not form.is_valid():
        messages.error(request, f"未能登记咨询：{problems(form)}")
        return redirect("mediation:lawyers")
    data = form.cleaned_data
    case = None
    if data["number"].strip():
        case = selectors.case_by_number(staff, data["number"])
        if case is None:
            messages.error(request, "未能登记咨询：「关联信访件编号」没有找到您有权查阅的信访件")
            return redirect("mediation:lawyers")
    try:
        services.record_consultation(
            data["duty"],
            staff,
            petitioner=data["petitioner"],
            headcount=data["headcount"],
            question=data["question"],
            advice=data["advice"],
            channel=data["channel"],
            case=case,
        )
        messages.success(request, "已登记律师咨询。")
    except services.MediationRefused as refused:
        messages.error(request, f"未能登记咨询：{refused.message}")
    return redirect("mediation:lawyers")


@require_POST
@staff_required
def opinion(request: HttpRequest, case_pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    case = Case.objects.select_related("petition", "acting_organ").filter(pk=case_pk).first()
    if case is None or not can_read(staff, case):
        raise Http404("没有这个案件，或您无权查看")
    form = OpinionForm(request.POST, duties=selectors.duties(staff), prefix="opinion")
    if not form.is_valid():
        messages.error(request, f"未能登记律师法律意见：{problems(form)}")
        return redirect("workspace:case", pk=case.pk)
    data = form.cleaned_data
    try:
        services.record_opinion(case, data["duty"], staff, opinion=data["opinion"], given_on=data["given_on"])
        messages.success(request, "已登记律师法律意见。")
    except services.MediationRefused as refused:
        messages.error(request, f"未能登记律师法律意见：{refused.message}")
    return redirect("workspace:case", pk=case.pk)
