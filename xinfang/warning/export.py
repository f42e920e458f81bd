"""Every table of the risk board as one Excel workbook (openpyxl), one sheet a table."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import Alert


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for n, _ in enumerate(header):
        sheet.column_dimensions[get_column_letter(n + 1)].width = 16


def _alert_row(a: Alert) -> list[Any]:
    factors = "；".join(f"{f['label']}{f['value']}×{f['weight']}" for f in a.factors if f["value"])
    return [
        a.topic, a.get_kind_display(), a.organ.name, a.count, a.persons, a.baseline, a.ratio, a.score, factors,
        f"{a.first_day:%Y-%m-%d} 至 {a.last_day:%Y-%m-%d}", "、".join(a.organs), a.get_status_display(),
    ]  # fmt: skip


ALERT_HEADER = (
    "问题（地点或单位）", "预警类型", "研判机关", "近期件数", "涉及信访人数", "此前件数", "增幅倍数", "弱信号得分",
    "因素（件数×权重）", "起止日期", "涉及机关", "研判结论",
)  # fmt: skip


def workbook(context: dict[str, Any]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    _sheet(book, "今日预警", ALERT_HEADER, (_alert_row(a) for a in context["hot"]))
    _sheet(book, "上升中的问题", ALERT_HEADER, (_alert_row(a) for a in context["weak"]))
    _sheet(
        book,
        "预警提示函",
        ("问题", "发文字号", "主送机关", "书面反馈期满日", "反馈情况"),
        (
            [
                a.topic,
                a.notice.number if a.notice else "",
                a.addressee.name if a.addressee else "",
                a.reply_due,
                "已反馈" if a.replied_at else ("超期未反馈" if a.reply_overdue else "待反馈"),
            ]
            for a in context["notices"]
        ),
    )
    barometer = context["barometer"]
    _sheet(
        book,
        "地区",
        ("地区", "近期件数", "此前件数", "增幅倍数"),
        ([r["region"], r["recent"], r["baseline"], r["ratio"]] for r in barometer.regions),
    )
    for title, groups in (("类别趋势", barometer.by_category), ("地区趋势", barometer.by_region)):
        _sheet(
            book,
            title,
            ("日期", *(g["name"] for g in groups)),
            ([day, *(g["data"][n] for g in groups)] for n, day in enumerate(barometer.days)),
        )
    _sheet(book, "每日件数", ("日期", "件数"), barometer.calendar)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
