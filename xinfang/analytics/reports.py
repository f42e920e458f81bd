"""Writes of the 月报 / 季报: request one (queued for the worker), and build it (the task's body), with progress.

Each write is one transaction with its audit event. The build records its progress on the report row after
each step (figures, DOCX, PDF) so that the page can show it while the worker runs.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xinfang.audit.services import record_event
from xinfang.org.models import Organ, Staff

from .models import Report, ReportStatus
from .report import KIND_LABELS, MONTHLY, build_content, period_title
from .report_render import render_docx, render_pdf


class ReportRefused(Exception):
    """A request the page explains in Chinese, naming the field."""


def root_for(staff: Staff, organ: Organ | None) -> Organ:
    """The subtree a report covers: the chosen organ, or the viewer's scope (a bureau: its government)."""
    if organ is not None:
        return organ
    mine = staff.organ
    return mine.superior if mine.is_petition_bureau and mine.superior is not None else mine


@transaction.atomic
def request_report(
    staff: Staff, kind: str, year: int, number: int, organ: Organ | None = None, *, now: dt.datetime | None = None
) -> Report:
    now = now or timezone.now()
    if kind not in KIND_LABELS:
        raise ReportRefused("「报表类型」须为月报或季报")
    if not 1 <= number <= (12 if kind == MONTHLY else 4):
        raise ReportRefused("「月份」须为1至12" if kind == MONTHLY else "「季度」须为1至4")
    root = root_for(staff, organ)
    if not root.path.startswith(staff.organ.scope_path):
        raise ReportRefused("「机关」不在您的统计范围内")
    report = Report.objects.create(
        kind=kind,
        year=year,
        number=number,
        root=root,
        requested_by=staff,
        requested_at=now,
        note="排队等待后台生成",
        title=f"{root.name}信访工作统计{KIND_LABELS[kind]}（{period_title(kind, year, number)}）",
    )
    record_event(
        action="request_report",
        at=now,
        actor=staff.user,
        actor_label=str(staff),
        organ=staff.organ,
        payload={"report": report.pk, "kind": KIND_LABELS[kind], "period": period_title(kind, year, number)},
    )
    return report


def _progress(report_id: int, step: int, note: str, status: str = ReportStatus.RUNNING) -> None:
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(step=step, note=note, status=status)


def build_report(report_id: int) -> Report:
    """Compute the figures, render DOCX then PDF; each step recorded as it finishes."""
    report = Report.objects.select_related("root").get(pk=report_id)
    _progress(report_id, 0, "正在计算指标")
    content = build_content(report.kind, report.year, report.number, report.root)
    _progress(report_id, 1, "指标已计算，正在生成DOCX")
    docx = render_docx(content)
    _progress(report_id, 2, "DOCX已生成，正在生成PDF")
    pdf = render_pdf(content)
    now = timezone.now()
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(
            docx=docx, pdf=pdf, step=3, note="已生成", status=ReportStatus.DONE, finished_at=now
        )
        record_event(
            action="build_report",
            at=now,
            actor_label="统计报表任务",
            organ=report.requested_by.organ,
            payload={"report": report.pk, "docx_bytes": len(docx), "pdf_bytes": len(pdf)},
        )
    report.refresh_from_db()
    return report


def mark_failed(report_id: int, reason: str) -> None:
    _progress(report_id, 0, f"生成失败：{reason[:180]}", ReportStatus.FAILED)
