"""Every indicator file loads, is cited, and names only measures and rules that exist."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from xinfang.rules import RuleFileError
from xinfang.rules.indicators import INDICATOR_DIR, PLATFORM, load_indicators

# The indicators issue 15 asks for, by Chinese name.
REQUIRED = {
    "及时受理率",
    "按期办结率",
    "群众满意率",
    "参评率",
    "办结率",
    "重复信访率",
    "复查复核率",
    "复查复核改变率",
    "回访率",
    "超期件数（按职责）",
    "各环节平均用时",
}


def test_every_file_loads_and_cites() -> None:
    found = load_indicators()
    assert len(found) == len(list(INDICATOR_DIR.glob("*.yaml")))
    assert {i.name for i in found} == REQUIRED
    for ind in found:
        assert ind.source == PLATFORM or ind.source.startswith("《"), ind.id
        assert ind.basis.startswith("《信访工作条例》"), ind.id
        assert ind.definition and ind.numerator.words, ind.id
        assert ind.unit == "件" or (ind.denominator is not None and ind.denominator.words), ind.id


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(INDICATOR_DIR, data / "indicators")
    shutil.copytree(INDICATOR_DIR.parent / "national", data / "national")
    return data / "indicators"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": "省里说的"}, "source"),
        ({"basis": "第三十四条"}, "应引用法规条文"),
        ({"numerator": {"measure": "clock_on_time", "words": "按期"}}, "须列出所计期限规则"),
        ({"numerator": {"measure": "clock_on_time", "rules": ["handling_x"], "words": "按期"}}, "未知的期限规则"),
        ({"numerator": {"measure": "made_up", "words": "x"}}, "未知的计量"),
        ({"denominator": None}, "须有分母"),
    ],
)
def test_a_bad_file_is_refused_naming_it(tmp_path: Path, change: dict[str, object], message: str) -> None:
    directory = _copy(tmp_path)
    path = directory / "on_time_conclusion.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw.update(change)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleFileError, match=message) as refused:
        load_indicators(directory)
    assert refused.value.file == "on_time_conclusion.yaml"
