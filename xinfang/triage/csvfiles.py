"""CSV files of the `classify` and `similar` commands: UTF-8 (a BOM is allowed), a header row.

Every error is a `CsvError` whose message (in Chinese) names the file and, where there is one, the column.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path


class CsvError(Exception):
    """A file that cannot be read as the command expects."""


def read_rows(path: str | Path, required: Sequence[str]) -> list[dict[str, str]]:
    """The rows of ``path`` as dicts, each with every ``required`` column (empty cells as "")."""
    name = str(path)
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            if not header:
                raise CsvError(f"文件 {name} 为空：需要表头行，包含列 {','.join(required)}")
            missing = [c for c in required if c not in header]
            if missing:
                raise CsvError(f"文件 {name} 缺少列 {'、'.join(missing)}（需要列 {','.join(required)}）")
            reader.fieldnames = header
            rows = [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except FileNotFoundError as error:
        raise CsvError(f"文件 {name} 不存在") from error
    except UnicodeDecodeError as error:
        raise CsvError(f"文件 {name} 不是 UTF-8 编码（第 {error.start} 字节）") from error
    except csv.Error as error:
        raise CsvError(f"文件 {name} 不是合法的 CSV：{error}") from error
    if not rows:
        raise CsvError(f"文件 {name} 没有数据行（只有表头）")
    return rows


def require_values(path: str | Path, rows: Sequence[dict[str, str]], column: str) -> None:
    """Every row has a non-empty ``column``; the first empty one is reported with its line number."""
    for number, row in enumerate(rows, start=2):
        if not row.get(column):
            raise CsvError(f"文件 {path} 第 {number} 行的列 {column} 为空")


def parse_date(path: str | Path, number: int, value: str) -> dt.date | None:
    """The date of a ``time`` cell ("2019-02-28 11:25:05" or "2019-02-28"); None when empty."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.replace("/", "-")[:10])
    except ValueError as error:
        raise CsvError(f"文件 {path} 第 {number} 行的列 time 不是日期：{value}") from error


def write_rows(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
