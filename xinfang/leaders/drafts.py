"""The drafts of the rhythm reports: real figures of an organ's scope over a period, in words.

Statistics come from `xinfang.analytics` (the rollups of the period are derived again first, as the nightly
task does, then summed with the indicators' own definitions); warnings are read from `xinfang.warning`; the
leaders app adds its own counts (leader cases, receptions, the conference's decisions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xinfang.analytics import services as analytics
from xinfang.analytics.selectors import Filters, figures_from, sums_under
from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import NON_TERMINAL
from xinfang.org.models import Organ
from xinfang.warning.models import Alert

from . import rhythm
from .models import Decision, LeaderCase, ReceptionDay


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "日":
        return f"{value:.1f}日"
    return f"{int(value)}{unit}"


def figures(organ: Organ, start: dt.date, end: dt.date) -> dict[str, Any]:
    path = organ.scope_path
    analytics.recompute(start, end, today=timezone.localdate())
    found = sums_under(path, Filters(start, end))
    indicators = [
        {"name": f.indicator.name, "unit": f.indicator.unit, "value": f.value, "num": f.numerator, "den": f.denominator}
        for f in figures_from(found)
        if not f.rule
    ]
    petitions = found.get("petition", (0, 0))[0]
    alerts = Alert.objects.filter(organ__path__startswith=path, day__range=(start, end))
    leader_cases = LeaderCase.objects.filter(organ__path__startswith=path)
    receptions = ReceptionDay.objects.filter(organ__path__startswith=path, day__range=(start, end))
    received_ids = set(receptions.values_list("petitions", flat=True)) - {None}
    decisions = Decision.objects.filter(conference__organ__path__startswith=path)
    overdue = decisions.filter(done_at__isnull=True, deadline__lt=end)
    return {
        "petitions": petitions,
        "indicators": indicators,
        "alerts": [{"topic": a.topic, "count": a.count, "status": a.get_status_display()} for a in alerts[:10]],
        "alerts_total": alerts.count(),
        "leader_cases_taken": leader_cases.filter(taken_at__date__range=(start, end)).count(),
        "leader_cases_open": leader_cases.filter(closed_at__isnull=True).count(),
        "leader_cases_closed": leader_cases.filter(closed_at__date__range=(start, end)).count(),
        "receptions": receptions.count(),
        "reception_petitions": len(received_ids),
        "decisions_overdue": [
            {"text": d.text[:60], "organ": d.organ.name, "deadline": d.deadline.isoformat()}
            for d in overdue.select_related("organ")[:10]
        ],
        "decisions_overdue_total": overdue.count(),
        "open_cases": _open_cases(path),
    }


def _open_cases(path: str) -> int:
    return Case.objects.filter(organ__path__startswith=path, state__in=NON_TERMINAL).count()


def render(organ: Organ, kind: str, start: dt.date, end: dt.date, f: dict[str, Any]) -> str:
    label = rhythm.kind_label(kind)
    span = f"{start:%Y年%m月%d日}" if start == end else f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}"
    lines = [
        f"{organ.name}信访工作{label}（{span}）",
        "",
        "一、信访总体情况",
        f"本期收到信访件{f['petitions']}件，所辖范围内尚在办理的案件{f['open_cases']}件。",
    ]
    for ind in f["indicators"]:
        if ind["den"] == 0:
            continue
        tail = f"（{ind['num']}/{ind['den']}）" if ind["den"] is not None else ""
        lines.append(f"{ind['name']}：{_fmt(ind['value'], ind['unit'])}{tail}")
    lines += ["", "二、风险预警"]
    if f["alerts_total"]:
        lines.append(f"本期生成预警{f['alerts_total']}条：")
        lines += [f"{a['topic']}，近期{a['count']}件，{a['status']}" for a in f["alerts"]]
    else:
        lines.append("本期未生成预警。")
    lines += [
        "",
        "三、领导包案和接访",
        f"本期领导新包案{f['leader_cases_taken']}件、包案结案{f['leader_cases_closed']}件，"
        f"尚在包案化解{f['leader_cases_open']}件；领导接访{f['receptions']}次，接访登记信访件{f['reception_petitions']}件。",
        "",
        "四、联席会议议定事项落实",
    ]
    if f["decisions_overdue_total"]:
        lines.append(f"逾期未报送落实情况的议定事项{f['decisions_overdue_total']}项：")
        lines += [f"{d['organ']}：{d['text']}（期限{d['deadline']}）" for d in f["decisions_overdue"]]
    else:
        lines.append("议定事项均在期限内落实或尚未到期。")
    lines += ["", "五、研判意见和下步工作", "（请填写）"]
    return "\n".join(lines)
