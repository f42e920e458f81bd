"""Statistics pages for analysts and leaders: indicators, ranking, the cases behind each figure, Excel export."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xinfang.org.access import staff_required
from xinfang.rules import default_rulebook
from xinfang.rules.indicators import default_indicators, indicator
from xinfang.supervision.selectors import statistics as supervision_statistics

from .export import workbook
from .forms import bound
from .models import RollupState
from .selectors import cases_behind, figures, keys_of, late_keys, may_view, ranking


def _rule_titles() -> dict[str, str]:
    return {r.id: r.title for r in default_rulebook().rules.values()}


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/not_allowed.html", status=403)


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return _refuse(request)
    form = bound(staff, request.GET)
    context_titles = _rule_titles()
    context: dict[str, object] = {"form": form, "state": RollupState.objects.first()}
    if form.is_valid():
        filters = form.filters()
        table = figures(staff, filters)
        query = urlencode({k: v for k, v in form.data.items() if k in form.fields})
        rank_id = request.GET.get("rank", "on_time_conclusion")
        try:
            rank_ind = indicator(rank_id)
        except KeyError:
            raise Http404("没有这个指标") from None
        late = {f.indicator.id for f in table if late_keys(f.indicator)}
        ratios = [f for f in table if f.indicator.is_ratio and not f.rule]
        chart = {"names": [f.indicator.name for f in ratios], "values": [round(f.value or 0, 2) for f in ratios]}
        context.update(
            figures=table,
            rows=[(f, context_titles.get(f.rule, f.rule), f.indicator.id in late) for f in table],
            query=query,
            described=form.described(),
            ranked=ranking(staff, filters, rank_ind),
            rank_ind=rank_ind,
            rankable=[i for i in default_indicators() if i.is_ratio],
            chart=json.dumps(chart, ensure_ascii=False),
            supervision=supervision_statistics(staff, timezone.localdate()),
        )
    return render(request, "analytics/index.html", context)


@staff_required
def cases(request: HttpRequest, ident: str, part: str) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return _refuse(request)
    try:
        ind = indicator(ident)
    except KeyError:
        raise Http404("没有这个指标") from None
    if part not in ("numerator", "denominator", "late") or (part == "late" and not late_keys(ind)):
        raise Http404("没有这个数")
    rule = request.GET.get("rule", "")
    if rule and rule not in ind.numerator.rules:
        raise Http404("没有这个期限")
    form = bound(staff, request.GET)
    if not form.is_valid():
        return render(request, "analytics/index.html", {"form": form}, status=400)
    behind = cases_behind(staff, form.filters(), keys_of(ind, part, rule))
    term = ind.numerator if part == "numerator" or ind.denominator is None else ind.denominator
    words = "其中未在法定最后一日以前完成的" if part == "late" else term.words
    context = {
        "ind": ind,
        "words": words,
        "rule": _rule_titles().get(rule, ""),
        "behind": behind,
        "described": form.described(),
        "form": form,
    }
    return render(request, "analytics/cases.html", context)


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if not may_view(staff):
        return _refuse(request)
    form = bound(staff, request.GET)
    if not form.is_valid():
        return render(request, "analytics/index.html", {"form": form}, status=400)
    data = workbook(figures(staff, form.filters()), form.described(), _rule_titles())
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''statistics.xlsx"
    return response
