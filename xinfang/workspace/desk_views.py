"""At the desk: correcting a registration, and the printed case page and routing slip. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xinfang.accounts.models import AccessKind
from xinfang.accounts.services import record_access
from xinfang.intake.services import CORRECTABLE, CorrectionRefused, correct_registration, correction_refusal
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.visibility import Access, case_access

from .access import staff_required
from .forms import CorrectionForm


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
