"""Our content categories (the three-level taxonomy in `rules/data/taxonomy/`) as Open311 services."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from xinfang.rules.taxonomy import default_taxonomy


@dataclass(frozen=True)
class Service:
    code: str
    key: str  # the taxonomy key, e.g. 城乡建设/安全生产/事故处理
    group: str
    keywords: str
    name: str


def service_code(key: str) -> str:
    """A short code that stays the same as long as the category's path of names does."""
    return "c" + hashlib.sha256(key.encode()).hexdigest()[:10]


@cache
def services() -> dict[str, Service]:
    result = {}
    for category in default_taxonomy().leaves():
        code = service_code(category.key)
        result[code] = Service(code, category.key, category.level1, category.level2, category.level3)
    return result


ATTRIBUTES = (
    {
        "variable": True,
        "code": "region_code",
        "datatype": "string",
        "required": False,
        "datatype_description": "六位行政区划代码，如 990102；不填时为合作系统所属机关的行政区划",
        "order": 1,
        "description": "问题发生地（行政区划代码）",
        "values": [],
    },
    {
        "variable": True,
        "code": "accusation",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "是否检举、揭发、控告（检举控告事项保密，《信访工作条例》第三十条第三款）",
        "order": 2,
        "description": "是否检举、揭发、控告",
        "values": [{"key": "no", "name": "否"}, {"key": "yes", "name": "是"}],
    },
)
