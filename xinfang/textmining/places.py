"""Place and organisation names in a message (…小区、…花园、…苑、…学院、…公司、…车贷 …).

Used as one reason for a possible repeat and as the entities of topic detection (``topics.py``).

A name ends with one of ``SUFFIXES``; its stem is the run of CJK characters, letters or digits before the
suffix, cut after the last boundary: punctuation, the end of the previous name, "的", a connector
(和、与、及), a region or road word (…市、…区、…路) or a verb that opens a complaint (投诉、反映、关于 …).
"有限公司" and its variants become "公司" after the stem ("某某置业有限公司" -> "某某置业公司"); a bare
"有限公司" or "我们小区" is no name.
"""

from __future__ import annotations

import re

from .tokens import normalise

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
    "学院",
    "幼儿园",
    "医院",
    "公司",
    "市场",
    "工业园",
    "车贷",
    "园",
    "苑",
    "城",
)
# A single-character suffix is a name's end only when the next character does not make it another word
# (城市、城管、园区、园林、村民、村委 …).
_NOT_AFTER = {"城": "市管区镇乡建中里际关", "园": "区林艺丁长", "村": "民委组级镇"}
_COMPANY = re.compile(r"(?:股份有限|有限责任|有限)$")
_SUFFIX = re.compile(
    "|".join(
        re.escape(s) + (f"(?![{_NOT_AFTER[s]}])" if s in _NOT_AFTER else "")
        for s in sorted(SUFFIXES, key=len, reverse=True)
    )
)
_WORD = re.compile(r"[\u4e00-\u9fffa-z0-9]")
# Where a stem may not reach back past (the stem starts after the last of these).
_BOUNDARY = re.compile(
    r"(?:[^\u4e00-\u9fffa-z0-9]|的|和|与|及|跟|或|市(?!政)|[区县省镇乡路街道]|我们|咱们|你们|他们|这|那|什么|已有|没有|考虑|在|于|对|是|给|为|将|把|了|被|向|到|从|"
    r"关于|投诉|反映|举报|请问|咨询|要求|希望|建议|请求|严惩|承办|位于|靠近|附近|旁边|还有|以及|解决|处理|整治|导致|影响|造成|使得|目前|距离|进出|出入|往来|开设|设立|开办|具备|预留|地处|随着|"
    r"还我们一个|周围|门口|旁|而|且|又|很大程度上|严重|进一步)"
)
_NO_STEM = frozenset(
    [
        "我们",
        "我",
        "本",
        "该",
        "这个",
        "那个",
        "这",
        "那",
        "一个",
        "某",
        "各",
        "其他",
        "所有",
        "周边",
        "同一",
        "整个",
        "农",
        "乡",
    ]
)
_LEADING = re.compile(r"^(?:我们|咱们|我|本|该|这个|那个|这|那|所在|整个|[一两几]+[个条座家所片栋])+")
# Stems that name a kind of place or organisation, not one of them ("物业公司", "安置小区").
_KIND = frozenset(
    [
        "物业",
        "自来水",
        "供水",
        "燃气",
        "电力",
        "公交",
        "置业",
        "开发",
        "房地产",
        "安置",
        "配套",
        "住宅",
        "居民",
        "生活",
        "大型",
        "二期",
        "家属",
        "人口密集",
        "多所",
        "普惠性",
        "综合",
        "专科",
        "国际",
        "眼科",
        "人民",
        "中心",
        "他们",
        "城中",
        "实验",
        "民办",
        "公办",
        "私立",
        "公立",
        "老旧",
        "商品房",
        "周边",
        "附近",
        "新建",
        "外国语",
        "农贸",
        "菜市",
        "理工",
        "师范",
        "职业",
        "技术",
        "幼儿",
        "附属",
        "一个",
        "其他",
        "相关",
        "有关",
        "物流",
        "保安",
        "公共",
        "市政",
        "市政工程",
        "工程",
    ]
)
MAX_STEM = 10


def _stem(text: str, start: int, end: int) -> str:
    window = text[max(start, end - MAX_STEM * 2) : end]
    cut = 0
    for match in _BOUNDARY.finditer(window):
        cut = match.end()
    stem = _LEADING.sub("", window[cut:][-MAX_STEM:])
    return "" if stem in _NO_STEM or stem in _KIND else stem


def mentions(text: str) -> list[str]:
    """The names in ``text`` in order of appearance; two names written one after the other ("伊景园滨河苑")
    also give their joined form, so that the variants of one place can be merged into one topic."""
    norm = normalise(text)
    found: list[str] = []
    previous_end, previous_name = 0, ""
    for match in _SUFFIX.finditer(norm):
        stem = _stem(norm, previous_end, match.start())
        suffix = match.group(0)
        if suffix == "公司":
            stem = _COMPANY.sub("", stem)
            stem = "" if stem in _KIND else stem  # "某某置业有限公司" cut to "置业有限" is a kind, not a name
        name = stem + suffix
        if len(stem) >= 2 and _WORD.match(stem):
            if previous_name and match.start() - len(stem) == previous_end:
                found.append(previous_name + name)
            found.append(name)
            previous_name = name
        else:
            previous_name = ""
        previous_end = match.end()
    return found


def places(text: str) -> set[str]:
    return set(mentions(text))
