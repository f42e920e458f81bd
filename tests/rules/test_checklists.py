"""The quality-review checklist is data: every item cited; a file without a citation is refused, naming it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from xinfang.rules import RuleFileError
from xinfang.rules.checklists import CHECKLIST_DIR, default_checklist, load_checklist


def test_the_quality_review_items_and_their_articles() -> None:
    version = default_checklist().version_on(dt.date(2026, 6, 1))
    assert [(i.key, i.citation.article) for i in version.items] == [
        ("receipt_notice", "第二十三条第二款"),
        ("heard", "第三十一条第六项"),
        ("opinion_items", "第三十二条第一款"),
        ("review_right", "第三十五条"),
        ("served", "第三十五条"),
        ("in_time", "第三十四条"),
        ("substance", "第四十五条第一项"),
    ]
    assert all(i.citation.quote for i in version.items)
    assert version.item("substance").computed == ""  # the reviewer's judgment alone


def test_an_item_without_citation_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((CHECKLIST_DIR / "quality_review.yaml").read_text(encoding="utf-8"))
    del raw["versions"][0]["items"][2]["citation"]
    path = tmp_path / "quality_review.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleFileError, match="citation"):
        load_checklist(path)
