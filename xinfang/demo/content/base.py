"""The shape of a petition template, and filling its placeholders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    key: str
    category: str  # a Category value
    dept: str  # the department that handles it (keys of city.py; "township", "village")
    summary: str
    request: str
    facts: str
    reasons: str
    finding: str = ""  # what the investigation found (the opinion's facts)
    remedy: str = ""  # what the organ does when it supports the request
    basis: str = ""  # legal basis of the opinion
    divert: tuple[str, str] | None = None  # (DivertTarget, guidance) for Art. 31(1)–(4)
    duty: str = ""  # the result of performing the duty asked for (Art. 31(5))
    agreement: str = ""  # a mediation agreement (Art. 33)
    reply: str = ""  # the reply to a suggestion (Art. 29)
    adoption: str = "adopted"  # adopted | partly_adopted | not_adopted
    result: str = ""  # the result reported to an accuser (Art. 30)
    accused: str = ""  # department key of the organ accused ("village", "township", "housing"…)
    refer: tuple[str, str] | None = None  # (competent department key, guidance) for Art. 23(1)
    wrong: str = ""  # a department a busy triage officer might wrongly send it to
    collective: bool = False  # typically brought by a group
    rural: bool = False  # about a village (村), not an urban community


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, context: Mapping[str, str]) -> str:
    return text.format_map(_Blank(context))


# The placeholders a template may use; `story.text_context` fills every one of them.
PLACEHOLDERS = (
    "county",  # 东城区
    "town",  # 东关街道
    "town_organ",  # 东城区东关街道办事处
    "village",  # 幸福路社区
    "road",  # 建设路
    "estate",  # 锦绣花园
    "num",  # a house number
    "month",  # a month one to two years back, 2025年3月
    "month2",  # a month one to four months back
    "money",  # 十几万元
    "wage",  # several hundred thousand yuan owed to a group of workers
    "fee",  # a few thousand yuan
    "count",  # number of people in a group
    "households",  # number of households
    "mu",  # a family's land, in mu
    "acres",  # a village's land taken, in mu
    "school",
    "hospital",
)
