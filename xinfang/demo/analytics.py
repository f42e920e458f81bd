"""Demo statistics: the rollups of the demo's history, and last quarter's 季报 of the city, built through the
analytics services as the nightly task and the report task would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinfang.analytics.reports import build_report, request_report
from xinfang.analytics.services import rebuild
from xinfang.org.models import Staff


def seed_statistics(now: dt.datetime, analyst_username: str = "analyst") -> str:
    today = timezone.localdate(now)
    result = rebuild(today=today)
    analyst = Staff.objects.filter(user__username=analyst_username).select_related("organ").first()
    if analyst is None:
        return f"统计汇总：明细{result.facts}条"
    first_this = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = first_this - dt.timedelta(days=1)
    report = request_report(analyst, "quarterly", last.year, (last.month - 1) // 3 + 1, now=now)
    build_report(report.pk)
    return f"统计汇总：明细{result.facts}条；已生成{report.title}"
