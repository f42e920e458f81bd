"""Staff workspace pages. Thin: reads through selectors, writes through services and the engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from xinfang.accounts.models import AccessKind
from xinfang.accounts.services import record_access
from xinfang.audit.models import Event
from xinfang.documents.forms import DraftForm
from xinfang.documents.selectors import case_documents, kind_choices
from xinfang.documents.services import DRAFTERS
from xinfang.intake.models import Attachment, Channel
from xinfang.intake.selectors import repeat_candidates
from xinfang.intake.services import (
    AccusedInput,
    PetitionInput,
    RepresentativeInput,
    UploadInput,
    correction_refusal,
    register_petition,
)
from xinfang.leaders import selectors as leader_selectors
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case, Clock
from xinfang.lifecycle.notices import own_notice_rules
from xinfang.lifecycle.permissions import can_see_identity
from xinfang.lifecycle.selectors import (
    available_transitions,
    due_within,
    overdue,
    petitioner_for,
    visible_cases,
)
from xinfang.lifecycle.states import NON_TERMINAL, State
from xinfang.lifecycle.table import BY_NAME
from xinfang.lifecycle.visibility import Access, case_access, readable_ids
from xinfang.mediation.selectors import case_panel as mediation_panel
from xinfang.org.models import Organ, Role
from xinfang.portal import fingerprint
from xinfang.portal.selectors import open_follow_ups, recent_follow_ups
from xinfang.portal.services import PortalRefused, issue_query_code, record_follow_up
from xinfang.supervision import selectors as supervision
from xinfang.triage.services import record_decision

from .access import staff_required
from .forms import FollowUpForm, RegistrationForm, action_form
from .labels import event_label, payload_rows, place_name
from .menu import OVERSIGHT_ROLES, WORKING_ROLES, may_register
from .selectors import (
    actionable_now,
    organ_queue,
    receipt_offer,
    related_events,
    subtree_overdue,
)
from .slips import slips_of


def _event_row(event: Event) -> dict[str, Any]:
    label = event_label(event.action)
    to_label = State(event.to_state).label if event.to_state in State.values else ""
    return {
        "event": event,
        "label": label,
        "to_label": "" if to_label == label or event.from_state == event.to_state else to_label,
        "details": payload_rows(event.payload),
    }


def _clock_rows(clocks: list[Clock], today: dt.date) -> list[dict[str, Any]]:
    rows = []
    for clock in clocks:
        left = (clock.due - today).days
        rows.append(
            {
                "clock": clock,
                "days_left": left,
                "days_over": (today - clock.legal_last_day).days,
                "is_overdue": clock.status == "running" and today > clock.legal_last_day,
            }
        )
    return rows


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's morning: what they can act on now; for supervisors and analysts, the subtree's overdue."""
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    working, oversight = staff.has_role(*WORKING_ROLES), staff.has_role(*OVERSIGHT_ROLES)
    recent = visible_cases(staff).select_related("petition__matter", "organ").order_by("-updated_at")[:10]
    return render(
        request,
        "workspace/home.html",
        {
            "working": working,
            "oversight": oversight,
            "queue": _marked(staff, actionable_now(staff)) if working else [],
            "organ_waiting": organ_queue(staff).count() if working else 0,
            "due_soon": _clock_rows(due_within(staff, 7, today), today) if working else [],
            "overdue": _clock_rows(overdue(staff, today), today) if working else [],
            "subtree_overdue": _clock_rows(subtree_overdue(staff, today), today) if oversight else [],
            "recent": _marked(staff, recent),
            "roles": [Role(r).label for r in staff.roles],
            "channels": Channel.choices,
            "can_register": may_register(staff),
            "decisions": leader_selectors.decisions_for_organ(staff),
            "today": today,
            **supervision.home_sections(staff, today),
        },
    )


def _marked(staff: Any, cases: Any) -> list[Case]:
    """The cases, each marked ``readable`` or not, so that a list shows no content it may not."""
    rows = list(cases)
    readable = readable_ids(staff, rows)
    for case in rows:
        case.readable = case.pk in readable
    return rows


def _case(request: HttpRequest, pk: int, needed: Access = Access.FULL) -> tuple[Case, Access]:
    case = (
        Case.objects.select_related(
            "petition__matter", "organ__superior", "acting_organ", "parent__organ", "review_organ", "re_review_organ"
        )
        .filter(pk=pk)
        .first()
    )
    access = case_access(request.staff, case) if case else Access.NONE  # type: ignore[attr-defined]
    if case is None or access < needed:
        raise Http404("没有这个案件，或您无权查看")
    return case, access


def _visible_case(request: HttpRequest, pk: int) -> Case:
    return _case(request, pk)[0]


def _case_context(request: HttpRequest, case: Case, forms_override: dict[str, Any] | None = None) -> dict[str, Any]:
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    events = related_events(staff, case)  # a related case the user may not read adds nothing
    overrides = forms_override or {}
    available = available_transitions(staff, case)
    actions = [overrides.get(t.name) or action_form(t, case, staff) for t in available]
    # A refused submission keeps its form and what was typed, even if the action is no longer open.
    actions += [form for name, form in overrides.items() if name not in {t.name for t in available}]
    linked = (
        Case.objects.filter(matter=case.matter)
        .exclude(pk=case.pk)
        .select_related("petition", "organ")
        .order_by("received_at")
    )
    return {
        "case": case,
        "own_notice_rules": own_notice_rules(case),
        "petition": case.petition,
        "petitioner": petitioner_for(staff, case),
        "place": place_name(case.petition.region_code),
        "state_label": State(case.state).label,
        "open": case.state in NON_TERMINAL,
        "clocks": _clock_rows(list(case.clocks.select_related("organ").order_by("pk")), today),
        "events": [_event_row(e) for e in events],
        "actions": actions,
        "linked": _marked(staff, [c for c in linked if case_access(staff, c) >= Access.STATUS]),
        "attachments": case.petition.attachments.all() if can_see_identity(staff, case) else [],
        "attachments_hidden": not can_see_identity(staff, case) and case.petition.attachments.exists(),
        "representatives": case.petition.representatives.all() if can_see_identity(staff, case) else [],
        "documents": case_documents(case),
        "draft_form": DraftForm(kinds=kind_choices()),
        "can_draft": staff.organ_id == case.acting_organ_id and staff.has_role(*DRAFTERS),
        "receipt": receipt_offer(staff, case),
        "may_supervise": supervision.may_supervise(staff),
        "may_record_assignment": supervision.may_record_assignment(staff),
        "can_correct": correction_refusal(staff, case) is None,
        "slips": slips_of(staff, case),
        "mediation": mediation_panel(staff, case),
        # Triage suggestions (xinfang.triage): beside the triage form, and for the desk that just registered it.
        "suggestion_panel": any(t.name == "triage" for t in available)
        or (case.state == State.REGISTERED and may_register(staff)),
    }


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case, access = _case(request, pk, needed=Access.STATUS)
    if access < Access.FULL:  # that it exists, its organ, state and dates: nothing of its content
        return render(request, "workspace/case_status.html", {"case": case, "state_label": State(case.state).label})
    context = _case_context(request, case)
    if not context["petitioner"].masked:
        record_access(request, AccessKind.PERSONAL_DATA, case=case)
    return render(request, "workspace/case_detail.html", context)


@staff_required
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("workspace:case", pk=pk)
    if name == "take_leader_case":  # a leader case needs its plan: the leaders app performs the step
        return redirect("leaders:take", case=pk)
    case = _visible_case(request, pk)
    transition = BY_NAME.get(name)
    if transition is None or not transition.sources:
        raise Http404("没有这个操作")
    form = action_form(transition, case, request.staff, request.POST)  # type: ignore[attr-defined]
    if form.is_valid():
        payload = {k: v for k, v in form.cleaned_data.items() if k != "expected_version" and v not in (None, "")}
        if "target_organ" in payload:
            payload["target_organ"] = int(payload["target_organ"])
        if "accused_organ" in payload:
            payload["accused_organ"] = payload["accused_organ"].pk
        try:
            perform(case, name, request.staff, payload, expected_version=form.cleaned_data["expected_version"])  # type: ignore[attr-defined]
        except Refused as refusal:
            messages.error(request, f"未能{transition.label}：{refusal.message}")
        else:
            if payload.get("content_category"):  # whether staff accepted or changed the triage suggestion
                record_decision(case, request.staff, payload["content_category"])  # type: ignore[attr-defined]
            messages.success(request, f"已{transition.label}。")
            return redirect("workspace:case", pk=pk)
    else:
        errors = [(field, str(error)) for field, problems in form.errors.items() for error in problems]
        problems = "；".join(_named(form, field, error) for field, error in errors)
        messages.error(request, f"未能{transition.label}：{problems}")
    case.refresh_from_db()
    return render(request, "workspace/case_detail.html", _case_context(request, case, {name: form}), status=400)


def _named(form: Any, field: str, error: str) -> str:
    """An error that names its field, so that the message at the top says what to fix."""
    label = str(form.fields[field].label) if field in form.fields else ""
    return error if not label or label in error else f"{label}：{error}"


def _regions(staff: Any) -> list[tuple[str, str]]:
    organs = Organ.objects.filter(path__startswith=staff.organ.scope_path).exclude(level="village")
    seen: dict[str, str] = {}
    for organ in organs.order_by("path"):
        if organ.region_code not in seen and organ.kind in ("other", "petition_bureau"):
            seen[organ.region_code] = organ.name.replace("人民政府", "").replace("信访局", "")
    return sorted(seen.items()) or [(staff.organ.region_code, place_name(staff.organ.region_code))]


def _representatives(text: str) -> list[RepresentativeInput]:
    reps = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        parts = line.split()
        reps.append(
            RepresentativeInput(
                name=parts[0], id_number=parts[1] if len(parts) > 1 else "", contact=parts[2] if len(parts) > 2 else ""
            )
        )
    return reps


@staff_required
def register(request: HttpRequest, channel: str) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_register(staff):
        raise PermissionDenied("登记信访件需要“登记员”或“甄别分办员”角色。")
    if channel not in Channel.values:
        raise Http404("没有这个渠道")
    form = RegistrationForm(request.POST or None, regions=_regions(staff))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = [UploadInput(f.name or "附件", f.read()) for f in request.FILES.getlist("attachments")]
        received_at = data["received_at"]
        try:
            case = register_petition(
                PetitionInput(
                    channel=channel,
                    request=data["request"],
                    region_code=data["region_code"],
                    received_at=received_at,
                    name=data["name"],
                    id_number=data["id_number"],
                    address=data["address"],
                    contact=data["contact"],
                    facts=data["facts"],
                    reasons=data["reasons"],
                    anonymous=data["anonymous"],
                    collective=data["collective"],
                    headcount=data["headcount"],
                    representatives=_representatives(data["representatives"]),
                    attachments=uploads,
                    matter_id=data["matter_id"],
                    accusation=data["accusation"],
                    accused=[AccusedInput(organ_id=o.pk) for o in data["accused_organs"]]
                    + [AccusedInput(person_name=n, person_organ_id=o.pk) for n, o in data["accused_persons"]],
                ),
                organ=staff.organ,
                actor=staff,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, f"已登记，信访件编号 {case.petition.number}。")
            return redirect("workspace:case", pk=case.pk)
    return render(
        request,
        "workspace/register.html",
        {"form": form, "channel": channel, "channel_label": Channel(channel).label, "channels": Channel.choices},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def repeat_hints(request: HttpRequest) -> JsonResponse:
    staff = request.staff  # type: ignore[attr-defined]
    found = repeat_candidates(
        id_number=request.GET.get("id_number", ""),
        name=request.GET.get("name", ""),
        contact=request.GET.get("contact", ""),
        text=request.GET.get("text", ""),
    )
    results = []
    for petition in found:
        case = petition.cases.select_related("organ", "acting_organ", "petition").order_by("pk").first()
        if case is None or case_access(staff, case) < Access.FULL:
            continue
        results.append(
            {
                "number": petition.number,
                "matter_id": petition.matter_id,
                "summary": petition.matter.summary,
                "received": timezone.localtime(petition.received_at).strftime("%Y-%m-%d"),
                "organ": case.organ.name,
                "state": State(case.state).label,
                "url": f"/work/cases/{case.pk}/",
                "final": petition.matter.final_at is not None,
            }
        )
    return JsonResponse({"results": results})


@staff_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Attachment.objects.select_related("petition"), pk=pk)
    cases = Case.objects.filter(petition_id=item.petition_id).select_related("organ", "acting_organ", "petition")
    if not any(can_see_identity(request.staff, case) for case in cases):  # type: ignore[attr-defined]
        raise Http404("没有这个附件，或您无权查看")
    record_access(request, AccessKind.ATTACHMENT, case=cases.first(), detail=item.original_name)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


@staff_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """回访: ratings of 不满意 queued for this organ; staff record how the follow-up went."""
    staff = request.staff  # type: ignore[attr-defined]
    pending = open_follow_ups(staff)
    forms = {f.pk: FollowUpForm(prefix=str(f.pk)) for f in pending}
    status = 200
    if request.method == "POST":
        target = next((f for f in pending if str(f.pk) == request.POST.get("follow_up")), None)
        if target is None:
            raise Http404("没有这条待回访记录")
        form = FollowUpForm(request.POST, prefix=str(target.pk))
        forms[target.pk] = form
        if form.is_valid():
            try:
                record_follow_up(target, staff, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
            except PortalRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, f"已登记 {target.rating.petition.number} 的回访。")
                return redirect("workspace:follow_ups")
        status = 400
    rows = [(f, forms[f.pk]) for f in pending]
    return render(request, "workspace/follow_ups.html", {"rows": rows, "done": recent_follow_ups(staff)}, status=status)


@staff_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """回执: the number and a query code for a letter or visit, printed at the desk (a lost code reissued)."""
    if request.method != "POST":
        return redirect("workspace:case", pk=pk)
    case = _visible_case(request, pk)
    staff = request.staff  # type: ignore[attr-defined]
    if not may_register(staff):
        raise PermissionDenied("发放查询码需要“登记员”或“甄别分办员”角色。")
    reissue = request.POST.get("reissue") == "on"
    if reissue and request.POST.get("identity_checked") != "on":
        messages.error(request, "未能补发查询码：请先核对信访人的身份证件，并勾选“已核对信访人身份”。")
        return redirect("workspace:case", pk=pk)
    try:
        code = issue_query_code(case, staff, reissue=reissue)
    except PortalRefused as refusal:
        messages.error(request, f"未能发放查询码：{refusal.message}")
        return redirect("workspace:case", pk=pk)
    context = {
        "case": case,
        "code": code,
        "track_url": request.build_absolute_uri(reverse("portal:track")),
        "verify_url": request.build_absolute_uri(reverse("portal:verify")),
        "fingerprint": fingerprint.grouped(fingerprint.registered(case.petition)),
    }
    return render(request, "workspace/receipt.html", context)
