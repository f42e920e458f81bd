"""Place names in a message (小区、新城、花园、村、学校、公司 …), used as one reason for a possible repeat."""

from __future__ import annotations

import re

from .tokens import normalise

# A name is 2–10 CJK characters, letters or digits before one of these suffixes.
SUFFIXES = (
    "小区",
    "新城",
    "花园",
    "家园",
    "公寓",
    "大厦",
    "广场",
    "社区",
    "村",
    "学校",
    "小学",
    "中学",
    "大学",
    "幼儿园",
    "医院",
    "公司",
    "市场",
    "工业园",
)
_PLACE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,10}?(?:" + "|".join(sorted(SUFFIXES, key=len, reverse=True)) + "))")
# Leading words that are not part of a name ("我们小区", "在A市…"); a name never holds "的".
_LEADING = re.compile(r"^(?:我们|我|本|该|这个|那个|所在|位于|在)+")
_GENERIC = {"小区", "社区", "学校", "公司", "医院", "市场", "村", "本村", "该村", "农村", "乡村"}


def places(text: str) -> set[str]:
    found = set()
    for match in _PLACE.finditer(normalise(text)):
        name = _LEADING.sub("", match.group(1).rsplit("的", 1)[-1])
        if len(name) >= 3 and name not in _GENERIC:
            found.add(name)
    return found
