"""The demo's content-category model: trained on the demo's own petition texts (no shared data, no download),
through `triage.services.train_model`, so that the triage form shows suggestions on the first start."""

from __future__ import annotations

import datetime as dt
import re

from xinfang.textmining.features import Message
from xinfang.triage.models import ClassifierModel
from xinfang.triage.services import train_model

from .content import TEMPLATES, fill

# The department a template is handled by, as the top-level content category (rules/data/taxonomy) it is about.
CATEGORY_OF_DEPT = {
    "housing": "城乡建设",
    "hrss": "劳动和社会保障",
    "eco": "环境保护",
    "edu": "教育文体",
    "land": "国土资源",
    "market": "商贸旅游",
    "health": "卫生计生",
    "transport": "交通运输",
    "police": "政法",
    "discipline": "纪检监察",
}
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _plain(text: str) -> str:
    """The template's words without its placeholders (names of people, places and numbers)."""
    return _PLACEHOLDER.sub("", fill(text, {}))


def demo_texts() -> tuple[list[Message], list[str]]:
    messages, labels = [], []
    for template in TEMPLATES:
        label = CATEGORY_OF_DEPT.get(template.dept)
        if label is None:
            continue
        body = "\n".join(_plain(x) for x in (template.request, template.facts, template.reasons))
        messages.append(Message(_plain(template.summary), body))
        labels.append(label)
    return messages, labels


def seed_triage(now: dt.datetime) -> ClassifierModel:
    messages, labels = demo_texts()
    return train_model(messages, labels, source="演示数据（虚构的信访件模板）", actor_label="演示数据", now=now)
