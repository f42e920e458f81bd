"""No number of days is typed outside the rule files (issue 10, item 4).

Every string literal in the Python sources (docstrings and comments aside), every template and every
script under xinfang/ is searched for a period such as "15日", "5个工作日", "三十日内" or "九天". A hit fails
unless xinfang/rules/README.md lists it as an exception, with why.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "xinfang"
README = SOURCE / "rules" / "README.md"
EXCLUDED = ("xinfang/rules/data/", "/migrations/", "/vendor/")
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".js"}

DIGITS = "0-9０-９一二三四五六七八九十百千零〇两"
# A number right after 第/年/月/下/后/次/同/每/当/某 is an ordinal or a date (第三天, 5月1日, 最后一日), not a period.
PERIOD = re.compile(rf"(?<![第年月下后次同每当某{DIGITS}])[{DIGITS}]+ ?(?:个工作日|日|天)")


def find_periods(text: str) -> list[str]:
    return [m.group(0) for m in PERIOD.finditer(text)]


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _python_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def _lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


def hits() -> list[tuple[str, int, str]]:
    """(path relative to the repository, line, literal) for every period literal found."""
    found = []
    for path in sorted(SOURCE.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if not path.is_file() or any(part in relative for part in EXCLUDED):
            continue
        if path.suffix == ".py":
            texts = _python_strings(path)
        elif path.suffix in TEMPLATE_SUFFIXES:
            texts = _lines(path)
        else:
            continue
        for line, text in texts:
            found += [(relative, line, literal) for literal in find_periods(text)]
    return found


def documented_exceptions() -> dict[tuple[str, str], str]:
    """(file, literal) -> why, from the table under the README's exceptions heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Period literals outside the rule files (exceptions)", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[(cells[0].strip("`"), cells[1].strip("`"))] = cells[2]
    return rows


@pytest.mark.parametrize(
    "text",
    ["在15日内", "5个工作日内", "三十日内办结", "住院九天", "不超过３０日", "自收到之日起60 日", "十五日"],
)
def test_the_pattern_finds_periods(text: str) -> None:
    assert find_periods(text), text


@pytest.mark.parametrize(
    "text",
    ["2022年5月1日施行", "法定最后一日", "从下一日开始计算", "住院第三天", "同一天", "当日", "11月22日", "每日"],
)
def test_the_pattern_leaves_dates_and_ordinals(text: str) -> None:
    assert not find_periods(text), text


def test_the_search_reads_string_literals_but_not_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Within 15日."""\n# 30日\nTEXT = "请于" f"{x}人" "，60日内办结"\n', encoding="utf-8")
    assert [find_periods(text) for _, text in _python_strings(module) if find_periods(text)] == [["60日"]]


def test_every_exception_says_why() -> None:
    exceptions = documented_exceptions()
    assert exceptions, "the README lists no exceptions table"
    assert all(len(why) > 10 for why in exceptions.values())


def test_no_period_literal_outside_the_rule_files() -> None:
    exceptions = documented_exceptions()
    undocumented = [f"{path}:{line}: {literal}" for path, line, literal in hits() if (path, literal) not in exceptions]
    assert not undocumented, "period literals outside xinfang/rules/data/ (use xinfang.rules.period_words):\n" + (
        "\n".join(undocumented)
    )


def test_no_exception_is_stale() -> None:
    found = {(path, literal) for path, _, literal in hits()}
    stale = [f"{path}: {literal}" for path, literal in documented_exceptions() if (path, literal) not in found]
    assert not stale, "exceptions in xinfang/rules/README.md that no longer match anything:\n" + "\n".join(stale)
