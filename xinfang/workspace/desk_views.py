"""At the desk: correcting a registration, and the printed case page and routing slip. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from xinfang.accounts.models import AccessKind
from xinfang.accounts.services import record_access
from xinfang.intake.services import CORRECTABLE, CorrectionRefused, correct_registration, correction_refusal
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.selectors import petitioner_for
from xinfang.lifecycle.states import State
from xinfang.lifecycle.visibility import Access, case_access

from .access import staff_required
from .forms import CorrectionForm
from .labels import place_name
from .selectors import related_events
from .slips import slip_for
from .views import _clock_rows as clock_rows
from .views import _event_row as event_row


def _readable_case(request: HttpRequest, pk: int) -> Case:
    case = Case.objects.select_related("petition__receiving_organ", "organ", "acting_organ").filter(pk=pk).first()
    if case is None or case_access(request.staff, case) < Access.FULL:  # type: ignore[attr-defined]
        raise Http404("没有这个案件，或您无权查看")
    return case


@staff_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """更正登记内容: typing errors in the registered text, with a required reason; one event with old and new."""
    case = _readable_case(request, pk)
    staff = request.staff  # type: ignore[attr-defined]
    refusal = correction_refusal(staff, case)
    if refusal:
        raise PermissionDenied(refusal)
    petition = case.petition
    initial = {name: getattr(petition, name) for name in CORRECTABLE}
    form = CorrectionForm(request.POST or None, initial=initial, anonymous=petition.anonymous)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in CORRECTABLE if name in form.fields}
        try:
            correct_registration(case, staff, values, data["reason"])
        except CorrectionRefused as refused:
            raise PermissionDenied(refused.message) from refused
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, "已更正登记内容，更正记录已记入办理经过。")
            return redirect("workspace:case", pk=case.pk)
    record_access(request, AccessKind.PERSONAL_DATA, case=case)  # the form shows the petitioner's identity
    return render(
        request,
        "workspace/correct.html",
        {"case": case, "petition": petition, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The case on paper: content, the petitioner as this user may see them, deadlines and what was done."""
    case = _readable_case(request, pk)
    staff = request.staff  # type: ignore[attr-defined]
    today = timezone.localdate()
    petitioner = petitioner_for(staff, case)
    if not petitioner.masked:
        record_access(request, AccessKind.PERSONAL_DATA, case=case, detail="打印案件")
    clocks = list(case.clocks.select_related("organ").order_by("pk"))
    return render(
        request,
        "workspace/case_print.html",
        {
            "case": case,
            "petition": case.petition,
            "petitioner": petitioner,
            "place": place_name(case.petition.region_code),
            "state_label": State(case.state).label,
            "clocks": clock_rows(clocks, today),
            "events": [event_row(e) for e in related_events(staff, case)],
            "printed_at": timezone.localtime(),
        },
    )


@staff_required
def routing_slip(request: HttpRequest, pk: int, child: int) -> HttpResponse:
    """转送单 / 交办单 of the sending organ: what the receiving organ gets, and nothing more."""
    case = _readable_case(request, pk)
    staff = request.staff  # type: ignore[attr-defined]
    slip = slip_for(staff, case, child)
    if slip is None:
        raise Http404("没有这份转送单或交办单")
    if slip.identity:
        record_access(request, AccessKind.PERSONAL_DATA, case=case, detail=f"打印{slip.title}")
    context = {"case": case, "slip": slip, "printed_at": timezone.localtime()}
    return render(request, "workspace/routing_slip.html", context)
