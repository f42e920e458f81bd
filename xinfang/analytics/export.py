"""The indicator table as an Excel workbook (openpyxl), with the filters written at the top."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import Figure

HEADER = ("指标", "期限（职责）", "分子", "分母", "数值", "单位", "95%置信区间", "说明", "来源")


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def workbook(figures: list[Figure], filters: list[tuple[str, str]], rule_titles: dict[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "统计指标"
    sheet.append(["智慧信访平台 统计指标"])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in filters:
        sheet.append([label, value])
    sheet.append([])
    sheet.append(list(HEADER))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for f in figures:
        interval = f"{fmt(f.low)}–{fmt(f.high)}" if f.low is not None else ""
        note = "样本少于规定件数，不参与排名" if f.few else ""
        shown = round(f.value, 2) if f.value is not None else None
        sheet.append(
            [
                f.indicator.name,
                rule_titles.get(f.rule, f.rule),
                f.numerator,
                f.denominator,
                shown,
                f.indicator.unit,
                interval,
                note,
                f.indicator.source,
            ]
        )
    for column, width in zip("ABCDEFGHI", (22, 30, 8, 8, 10, 6, 16, 26, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
