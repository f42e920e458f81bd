"""Sample 12345 exports written by hand: the column names a hotline system typically uses."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from tests.factories import City
from xinfang.imports.models import ImportSource
from xinfang.imports.services import create_source, save_mapping
from xinfang.org.models import Role

HEADERS = ["工单编号", "来电时间", "诉求内容", "来电人", "来电号码", "联系地址", "所属区县代码", "备注"]
MAPPING = {
    "external_id": "工单编号",
    "received_at": "来电时间",
    "request": "诉求内容",
    "name": "来电人",
    "contact": "来电号码",
    "address": "联系地址",
    "region_code": "所属区县代码",
}


def good_row(n: int) -> list[str]:
    return [
        f"GD{n:06d}",
        "2026-03-02 09:15",
        f"小区第{n}号楼电梯停运三周，请求物业尽快维修",
        "李某某",
        "13900000000",
        "甲县城关镇和平路2号",
        "990102",
        "",
    ]


def csv_bytes(rows: list[list[str]], headers: list[str] = HEADERS, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def hotline(city: City, *, mapped: bool = True) -> ImportSource:
    registrar = city.who(city.bureau, Role.REGISTRAR)
    source = create_source(
        organ=city.bureau,
        name="西地市12345热线",
        kind="hotline_12345",
        channel="phone",
        default_region_code="",
        actor=registrar,
    )
    if mapped:
        save_mapping(source, MAPPING, actor=registrar)
    return source
