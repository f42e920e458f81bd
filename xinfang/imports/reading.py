"""Read an uploaded export (.xlsx or .csv) into a header row and data rows of text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import load_workbook


class UnreadableFile(ValueError):
    """The file is not a table we can read; the message says why, in Chinese."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[object]]  # data rows; row i is spreadsheet row i + 2 (row 1 is the header)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("CSV 文件编码无法识别：请另存为 UTF-8 或 GBK 编码")


def _finish(raw: list[list[object]]) -> Table:
    raw = [row for row in raw if any(_text(v) for v in row)]
    if not raw:
        raise UnreadableFile("文件中没有内容：第一行应为列名")
    headers = [_text(v) for v in raw[0]]
    if not any(headers):
        raise UnreadableFile("文件第一行应为列名")
    width = len(headers)
    rows = [list(r[:width]) + [None] * (width - len(r)) for r in raw[1:]]
    return Table(headers, rows)


def read_table(file_name: str, content: bytes) -> Table:
    name = file_name.lower()
    if name.endswith(".csv"):
        return _finish([list(r) for r in csv.reader(io.StringIO(_decode(content)))])
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile("Excel 文件无法打开：文件可能已损坏，或不是 .xlsx 格式") from exc
        sheet = book.worksheets[0]
        raw = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return _finish(raw)
    raise UnreadableFile("只能导入 Excel（.xlsx）或 CSV（.csv）文件")


def cell_text(value: object) -> str:
    return _text(value)
