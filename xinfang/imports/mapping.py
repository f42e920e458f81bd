"""Our fields, and turning one row of a source's export into a petition's input or the reasons it cannot be."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from xinfang.intake.services import PetitionInput, validate

from .models import ImportSource
from .reading import cell_text

CST = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False


FIELDS = (
    Field("external_id", "来源编号", required=True),
    Field("received_at", "来源登记时间", required=True),
    Field("request", "诉求", required=True),
    Field("name", "姓名（名称）"),
    Field("id_number", "证件号码"),
    Field("contact", "联系电话"),
    Field("address", "住址"),
    Field("region_code", "问题发生地"),
    Field("facts", "事实"),
    Field("reasons", "理由"),
)
LABELS = {f.name: f.label for f in FIELDS}
# The lengths the petition's columns hold (intake.models.Petition).
LIMITS = {"name": 100, "id_number": 30, "address": 200, "contact": 50}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass
class RowResult:
    row_number: int
    external_id: str
    data: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (our field, message naming it)


def mapping_problems(source: ImportSource, headers: list[str]) -> list[str]:
    """What is wrong with the source's saved mapping for a file with these headers (empty: usable)."""
    problems = []
    for f in FIELDS:
        column = source.mapping.get(f.name, "")
        if not column:
            if f.required:
                problems.append(f"「{f.label}」必须对应文件中的一列")
        elif column not in headers:
            problems.append(f"「{f.label}」对应的列「{column}」在文件中不存在")
    if not source.mapping.get("region_code") and not source.default_region_code:
        problems.append("「问题发生地」须对应一列，或在来源中设置默认问题发生地")
    return problems


def suggest_mapping(headers: list[str], saved: dict[str, str]) -> dict[str, str]:
    """The saved mapping where its columns exist, else a column whose header contains our label."""
    result = {}
    for f in FIELDS:
        if saved.get(f.name) in headers:
            result[f.name] = saved[f.name]
            continue
        short = f.label.split("（")[0]
        match = next((h for h in headers if h and (short in h or h in short)), "")
        result[f.name] = match
    return result


def parse_time(text: str) -> dt.datetime | None:
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=CST)
        except ValueError:
            continue
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=CST)


def petition_input(source: ImportSource, data: dict[str, str], received_at: dt.datetime | None) -> PetitionInput:
    return PetitionInput(
        channel=source.channel,
        request=data.get("request", ""),
        region_code=data.get("region_code") or source.default_region_code,
        received_at=received_at,
        name=data.get("name", ""),
        id_number=data.get("id_number", ""),
        address=data.get("address", ""),
        contact=data.get("contact", ""),
        facts=data.get("facts", ""),
        reasons=data.get("reasons", ""),
    )


def check_row(
    source: ImportSource, headers: list[str], row: list[object], row_number: int, now: dt.datetime
) -> RowResult:
    """Read one row through the saved mapping and check it as registration would; nothing is written."""
    index = {h: i for i, h in enumerate(headers)}
    data = {}
    for f in FIELDS:
        column = source.mapping.get(f.name, "")
        data[f.name] = cell_text(row[index[column]]) if column in index else ""
    result = RowResult(row_number, data["external_id"], data)
    if not data["external_id"]:
        result.problems.append(("external_id", "「来源编号」不能为空：没有来源编号无法防止重复导入"))
    elif len(data["external_id"]) > 100:
        result.problems.append(("external_id", "「来源编号」不能超过100个字符"))
    for name, limit in LIMITS.items():
        if len(data[name]) > limit:
            result.problems.append((name, f"「{LABELS[name]}」不能超过{limit}个字符"))
    received_at = None
    if not data["received_at"]:
        result.problems.append(("received_at", "「来源登记时间」不能为空"))
    else:
        received_at = parse_time(data["received_at"])
        if received_at is None:
            result.problems.append(
                ("received_at", f"「来源登记时间」无法识别：“{data['received_at']}”（应如 2026-03-02 10:30）")
            )
        else:
            data["received_at"] = received_at.isoformat()
    errors, _ = validate(petition_input(source, data, received_at), now)
    for name, messages in errors.items():
        for message in messages:
            result.problems.append((name, message))
    return result
