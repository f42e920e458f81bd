"""What a rendered document contains, independent of PDF or DOCX. The renderers take only this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    heading: str  # may be empty: a plain paragraph
    text: str  # paragraphs separated by blank lines


@dataclass(frozen=True)
class DocumentLayout:
    """A written notice laid out after GB/T 9704-2012: title, number, recipient, body, organ, date; no printed seal."""

    title: str  # e.g. 信访事项处理意见书
    number: str  # e.g. 东城住建信意〔2026〕12号
    issuing_organ: str  # 发文机关署名
    recipient: str  # 主送: the petitioner's name, e.g. 黄某某
    issued_on: dt.date
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""  # e.g. 抄送 or contact line
