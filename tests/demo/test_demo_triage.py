"""The demo's content-category model is trained on the demo's own invented texts, through the triage services."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import at
from xinfang.demo.triage import CATEGORY_OF_DEPT, demo_texts, seed_triage
from xinfang.rules.taxonomy import default_taxonomy
from xinfang.textmining.features import Message
from xinfang.triage.selectors import active_model
from xinfang.triage.services import _classifier

pytestmark = pytest.mark.django_db


def test_the_demo_texts_are_labelled_with_categories_of_the_taxonomy_and_have_no_placeholders() -> None:
    messages, labels = demo_texts()
    assert len(messages) >= 30 and set(labels) <= set(CATEGORY_OF_DEPT.values())
    assert all(label in default_taxonomy().tree for label in labels)
    assert not any("{" in m.text for m in messages)


def test_the_seeded_model_is_active_and_suggests(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    record = seed_triage(at("2026-03-01"))
    assert active_model() == record and record.source.startswith("演示数据")
    top = _classifier(record).suggest(Message("", "楼下饭店油烟直排，噪声和废气污染严重，请生态环境部门查处"))
    assert len(top) == 3 and top[0].label == "环境保护"
