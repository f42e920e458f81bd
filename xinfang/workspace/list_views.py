"""The case list: filters, sorting, page size, saved filters, Excel export, and bulk transfer or assignment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xinfang.accounts.models import AccessKind
from xinfang.accounts.services import record_access
from xinfang.imports.export import XLSX, workbook
from xinfang.lifecycle.table import BY_NAME
from xinfang.org.models import Organ

from .access import staff_required
from .bulk import bulk_candidates, common_targets, parse_selection
from .forms import CaseFilterForm, SaveFilterForm, bulk_form
from .lists import (
    EXPORT_HEADER,
    PAGE_SIZES,
    export_rows,
    filtered_cases,
    page_size,
    sort_key,
    sort_links,
    sorted_cases,
)
from .models import SavedFilter
from .selectors import filter_organs
from .services import BULK_ACTIONS, bulk_route, delete_filter, kept_query, save_filter
from .views import _marked


def _filtered(request: HttpRequest) -> tuple[CaseFilterForm, Any, str, str]:
    staff = request.staff  # type: ignore[attr-defined]
    form = CaseFilterForm(request.GET or None, organs=filter_organs(staff))
    data = form.cleaned_data if form.is_valid() else None
    sort = sort_key(request.GET.get("sort"))
    return form, sorted_cases(filtered_cases(staff, data), sort), sort, (data or {}).get("q", "")


@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    form, cases, sort, query_text = _filtered(request)
    size = page_size(request.GET.get("size"))
    page = Paginator(cases, size).get_page(request.GET.get("page"))
    rows = _marked(staff, list(page.object_list))
    bulk = bulk_candidates(staff, rows)
    for case in rows:
        case.bulk_actions = bulk.get(case.pk, [])  # type: ignore[attr-defined]
    query = QueryDict(kept_query(request.GET), mutable=True)  # links carry the list's parameters, nothing else
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "workspace/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
            "q": query_text,
            "sort": sort,
            "columns": sort_links(sort),
            "size": size,
            "sizes": PAGE_SIZES,
            "saved": SavedFilter.objects.filter(staff=staff),
            "save_form": SaveFilterForm(),
            "bulk": bulk,
            "bulk_actions": [(n, BY_NAME[n].label) for n in BULK_ACTIONS if any(n in a for a in bulk.values())],
        },
    )


@staff_required
def cases_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered and sorted, as an Excel workbook: no identity, no content the user may not read."""
    staff = request.staff  # type: ignore[attr-defined]
    form, cases, _, _ = _filtered(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = [(str(form.fields[k].label), str(v)) for k, v in data.items() if v not in (None, "", False)]
    rows = export_rows(staff, cases)
    record_access(request, AccessKind.EXPORT, detail=f"案件列表 {len(rows)} 件")
    title = f"案件列表（{timezone.localtime():%Y年%m月%d日} 导出）"
    response = HttpResponse(workbook(title, filters, EXPORT_HEADER, rows), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''cases.xlsx"
    return response


@staff_required
def filter_save(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("workspace:cases")
    staff = request.staff  # type: ignore[attr-defined]
    params = QueryDict(request.POST.get("query", ""))
    form = SaveFilterForm(request.POST)
    if form.is_valid():
        try:
            save_filter(staff, form.cleaned_data["name"], params)
        except ValidationError as error:
            messages.error(request, "未能保存查询条件：" + "；".join(error.messages))
        else:
            messages.success(request, f"已保存查询条件“{form.cleaned_data['name']}”。")
    else:
        messages.error(request, "未能保存查询条件：「名称」不能为空")
    return redirect(f"{reverse('workspace:cases')}?{params.urlencode()}")


@staff_required
def filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("workspace:cases")
    if not delete_filter(request.staff, pk):  # type: ignore[attr-defined]
        raise Http404("没有这组查询条件")
    messages.success(request, "已删除查询条件。")
    return redirect("workspace:cases")


@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Bulk transfer or assignment in three steps: choose the organ, confirm naming it, see each case's result."""
    if request.method != "POST":
        return redirect("workspace:cases")
    staff = request.staff  # type: ignore[attr-defined]
    name = request.POST.get("action", "")
    if name not in BULK_ACTIONS:
        raise Http404("没有这个批量操作")
    transition = BY_NAME[name]
    selected, skipped = parse_selection(staff, name, request.POST.getlist("case"))
    context: dict[str, Any] = {"action": name, "label": transition.label, "selected": selected, "skipped": skipped}
    if not selected:
        messages.error(request, f"未能批量{transition.label}：请在列表中勾选至少一件可以{transition.label}的案件")
        return redirect("workspace:cases")
    organs = common_targets(staff, name, [case for case, _ in selected])
    form = bulk_form(name, organs, request.POST if "target_organ" in request.POST else None)
    context["form"] = form
    if not form.is_bound or not form.is_valid():  # first the organ (and period), nothing preselected
        status = 400 if form.is_bound else 200
        return render(request, "workspace/bulk.html", {**context, "step": "choose"}, status=status)
    step = request.POST.get("step", "")
    target = Organ.objects.get(pk=int(form.cleaned_data["target_organ"]))
    context.update(target=target, days=form.cleaned_data.get("days"))
    if step != "perform":
        return render(request, "workspace/bulk.html", {**context, "step": "confirm"})
    results = bulk_route(staff, name, selected, target, form.cleaned_data.get("days"))
    done = sum(r.done for r in results)
    context.update(results=results, done=done, failed=len(results) - done)
    return render(request, "workspace/bulk.html", {**context, "step": "done"})
