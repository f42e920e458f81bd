"""Supervision pages under /work/supervision/: orders (督办) and the three recommendations (建议)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinfang.org.access import staff_required

from . import selectors, services
from .forms import EscalateForm, FeedbackForm, OrderForm, RecommendationForm, ReplyForm, ServeForm, first_error
from .models import RecState, Verdict


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "supervision/not_allowed.html", status=403)


@staff_required
def orders(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    rows = [(o, selectors.is_late(o, today)) for o in selectors.orders_for(staff)[:200]]
    context = {"rows": rows, "may_supervise": selectors.may_supervise(staff), "today": today}
    return render(request, "supervision/orders.html", context)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@staff_required
def new_order(request: HttpRequest) -> HttpResponse:
    """From a case page (?case=ID) or from the overdue list (checkboxes)."""
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_supervise(staff):
        return _refuse(request)
    today = timezone.localdate()
    chosen = _ids(request.POST.getlist("case") if request.method == "POST" else request.GET.getlist("case"))
    candidates = selectors.overdue_cases(staff, today)
    listed = {c.pk for c in candidates}
    extra = [c for c in selectors.readable_by_ids(staff, chosen) if c.pk not in listed]
    form = OrderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        cases = selectors.readable_by_ids(staff, chosen)
        if not form.is_valid():
            messages.error(request, first_error(form))
            status = 400
        elif not cases:
            messages.error(request, "请在「督办的案件」中至少勾选一件")
            status = 400
        else:
            data = form.cleaned_data
            try:
                opened = services.open_orders(
                    cases, staff, reason=data["reason"], requirement=data["requirement"], deadline=data["deadline"]
                )
            except services.SupervisionRefused as refused:
                messages.error(request, refused.message)
                status = 400
            else:
                messages.success(request, f"已督办，共 {len(opened)} 份督办单，并印发督办函")
                return redirect("supervision:order", pk=opened[0].pk)
    context = {"form": form, "candidates": extra + candidates, "chosen": set(chosen), "today": today}
    return render(request, "supervision/new_order.html", context, status=status)


@staff_required
def order(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    found = selectors.order_for(staff, pk)
    if found is None:
        raise Http404
    context = {
        "order": found,
        "late": selectors.is_late(found, timezone.localdate()),
        "behind": selectors.cases_of(staff, found),
        "replies": found.replies.select_related("by"),
        "may_reply": staff.organ_id == found.handling_organ_id and staff.has_role(*services.ANSWERING),
        "may_escalate": selectors.may_supervise(staff) and staff.organ.oversees(found.handling_organ),
        "reply_form": ReplyForm(),
        "escalate_form": EscalateForm(),
    }
    return render(request, "supervision/order.html", context)


@require_POST
@staff_required
def order_act(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    found = selectors.order_for(staff, pk)
    if found is None:
        raise Http404
    action = request.POST.get("action", "")
    form = ReplyForm(request.POST) if action == "reply" else EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("supervision:order", pk=pk)
    data = form.cleaned_data
    done = {"reply": "已答复", "urge": "已催办", "list": "已挂牌督办", "close": "已办结"}
    try:
        if action == "reply":
            services.reply(found, staff, data["text"])
        elif action == "urge":
            services.urge(found, staff, data["note"], deadline=data["deadline"])
        elif action == "list":
            services.list_order(found, staff, data["note"], deadline=data["deadline"])
        elif action == "close":
            services.close(found, staff, data["note"])
        else:
            raise services.SupervisionRefused("未知的操作")
    except services.SupervisionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done[action])
    return redirect("supervision:order", pk=pk)


@staff_required
def recommendations(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    rows = [(r, selectors.is_late(r, today)) for r in selectors.recommendations_for(staff)[:200]]
    context = {"rows": rows, "may_supervise": selectors.may_supervise(staff)}
    return render(request, "supervision/recommendations.html", context)


@staff_required
def new_recommendation(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_supervise(staff):
        return _refuse(request)
    chosen = _ids(request.POST.getlist("case") if request.method == "POST" else request.GET.getlist("case"))
    cases = selectors.readable_by_ids(staff, chosen)
    listed = {c.pk for c in cases}
    offered = cases + [c for c in selectors.overdue_cases(staff, timezone.localdate()) if c.pk not in listed]
    organs = {o.pk: o for o in selectors.addressable_organs(staff)}
    form = RecommendationForm(request.POST or None, organs=[(k, o.name) for k, o in organs.items()])
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, first_error(form))
            status = 400
        else:
            data = form.cleaned_data
            try:
                rec = services.draft_recommendation(
                    staff,
                    kind=data["kind"],
                    addressee=organs[data["addressee"]],
                    cases=cases,
                    problem=data["problem"],
                    suggestion=data["suggestion"],
                )
            except services.SupervisionRefused as refused:
                messages.error(request, refused.message)
                status = 400
            else:
                messages.success(request, "已起草建议书")
                return redirect("supervision:recommendation", pk=rec.pk)
    context = {"form": form, "cases": offered, "chosen": set(chosen)}
    return render(request, "supervision/new_recommendation.html", context, status=status)


@staff_required
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    rec = selectors.recommendation_for(staff, pk)
    if rec is None:
        raise Http404
    bureau = staff.organ_id == rec.organ_id and selectors.may_supervise(staff)
    addressee = staff.organ_id == rec.addressee_id and staff.has_role(*services.ANSWERING)
    context = {
        "rec": rec,
        "late": selectors.is_late(rec, timezone.localdate()),
        "behind": selectors.cases_of(staff, rec),
        "may_issue": bureau and rec.state == RecState.DRAFT,
        "may_serve": bureau and rec.state == RecState.ISSUED,
        "may_feedback": (bureau or addressee) and rec.state == RecState.SERVED,
        "serve_form": ServeForm(),
        "feedback_form": FeedbackForm(),
    }
    return render(request, "supervision/recommendation.html", context)


@require_POST
@staff_required
def recommendation_act(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    rec = selectors.recommendation_for(staff, pk)
    if rec is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        if action == "issue":
            rec = services.issue_recommendation(rec, staff)
            messages.success(request, f"已印发，发文字号 {rec.letter.number if rec.letter else ''}")
        elif action == "serve":
            serve = ServeForm(request.POST)
            if not serve.is_valid():
                raise services.SupervisionRefused(first_error(serve))
            d = serve.cleaned_data
            rec = services.serve_recommendation(
                rec, staff, served_on=d["served_on"], method=d["method"], tracking_number=d["tracking_number"]
            )
            messages.success(request, f"已登记送达，书面反馈期限 {rec.feedback_due:%Y-%m-%d}")
        elif action == "feedback":
            feedback = FeedbackForm(request.POST)
            if not feedback.is_valid():
                raise services.SupervisionRefused(first_error(feedback))
            d = feedback.cleaned_data
            services.record_feedback(rec, staff, adopted=d["adopted"], text=d["text"])
            messages.success(request, "已登记书面反馈")
        else:
            raise services.SupervisionRefused("未知的操作")
    except services.SupervisionRefused as refused:
        messages.error(request, refused.message)
    return redirect("supervision:recommendation", pk=pk)


@staff_required
def recommendation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued 建议书, for the organs concerned (a 追究责任 letter is not on the documents pages)."""
    staff = request.staff  # type: ignore[attr-defined]
    rec = selectors.recommendation_for(staff, pk)
    if rec is None or rec.letter is None or not rec.letter.pdf:
        raise Http404
    if staff.organ_id not in (rec.organ_id, rec.addressee_id):
        raise Http404
    response = HttpResponse(bytes(rec.letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recommendation-{rec.pk}.pdf"'
    return response


# Quality review (评查).


@staff_required
def reviews(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    labels, results = selectors.results_by_organ(staff)
    supervise = selectors.may_supervise(staff)
    context = {
        "labels": labels,
        "results": results,
        "reviews": selectors.reviews_for(staff).order_by("-created_at", "pk")[:100],
        "candidates": selectors.reviewable_cases(staff) if supervise else [],
        "may_supervise": supervise,
    }
    return render(request, "supervision/reviews.html", context)


@require_POST
@staff_required
def new_review(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not selectors.may_supervise(staff):
        return _refuse(request)
    cases = selectors.readable_by_ids(staff, _ids(request.POST.getlist("case")))
    try:
        opened = services.open_reviews(cases, staff, batch=request.POST.get("batch", ""))
    except services.ReviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("supervision:reviews")
    messages.success(request, f"已开始评查 {len(opened)} 件，系统已按办理记录预判，请逐项确认")
    return redirect("supervision:review", pk=opened[0].pk)


@staff_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    found = selectors.review_for(staff, pk)
    if found is None:
        raise Http404
    rows = selectors.review_rows(found)
    if request.method == "POST":
        results = {row.key: request.POST.get(f"result-{row.key}", "") for row in rows}
        notes = {row.key: request.POST.get(f"note-{row.key}", "") for row in rows}
        try:
            services.confirm_review(found, staff, results, notes)
        except services.ReviewRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "评查结论已确认")
            following = selectors.reviews_for(staff).filter(
                organ=staff.organ, batch=found.batch, confirmed_at__isnull=True
            )
            nxt = following.order_by("pk").first()
            return redirect("supervision:review", pk=nxt.pk if nxt else found.pk)
    context = {
        "review": found,
        "rows": rows,
        "verdicts": Verdict.choices,
        "may_confirm": staff.organ_id == found.organ_id and selectors.may_supervise(staff),
        "case_readable": bool(selectors.readable_by_ids(staff, [found.case_id])),
    }
    return render(request, "supervision/review.html", context)
