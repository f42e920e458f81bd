"""The routing table (内容分类 × 地区 → 主管部门) as data, from `data/routing/content.yaml`.

Django-free like the rest of this package. Each row names, for a top-level content category, the kind of
organ and the words of its duties (which the organ's name carries, e.g. 住房和城乡建设局), with the basis it
rests on (Art. 22: 属地管理、分级负责，谁主管、谁负责). `XINFANG_ROUTING_FILE` may name another file.
A row without category, organ kind or duty, or without a citation, is refused, naming the file and the row.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .loader import DATA_DIR

ROUTING_FILE = DATA_DIR / "routing" / "content.yaml"
ANYWHERE = "*"


@dataclass(frozen=True)
class Basis:
    instrument: str
    article: str
    quote: str

    def words(self) -> str:
        return f"《{self.instrument.split('（')[0]}》{self.article}：{self.quote}"


@dataclass(frozen=True)
class Route:
    category: str  # a top-level content category (一级分类)
    region: str  # a region code prefix ("330102", "3301", ...) or "*" for everywhere
    organ_kind: str  # an org.OrganKind value
    duty: str  # the words of the duty the organ's name carries
    duty_words: str
    basis: Basis

    def matches(self, category: str, region_code: str) -> bool:
        top = category.split("/")[0]
        return top == self.category and (self.region == ANYWHERE or region_code.startswith(self.region))

    @property
    def specificity(self) -> int:
        return -1 if self.region == ANYWHERE else len(self.region)


@dataclass(frozen=True)
class RoutingTable:
    title: str
    version: int
    routes: tuple[Route, ...]
    file: str

    def route(self, category: str, region_code: str) -> Route | None:
        """The most specific row for the category (its top level) in the region, or None."""
        found = [r for r in self.routes if r.matches(category, region_code)]
        return max(found, key=lambda r: r.specificity) if found else None


def _basis(raw: Any, file: str, entry: str) -> Basis:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(k), str) and raw[k].strip() for k in
                                               ("instrument", "article", "quote")):
        raise RuleFileError(file, entry, "缺少依据 basis（instrument、article、quote）")
    return Basis(raw["instrument"].strip(), raw["article"].strip(), raw["quote"].strip())


def load_routing(path: Path | str) -> RoutingTable:
    path = Path(path)
    file = path.name
    raw = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(raw, Mapping) or not isinstance(raw.get("rows"), list) or not raw["rows"]:
        raise RuleFileError(file, "rows", "对照表须有 rows 列表")
    default = _basis(raw.get("basis"), file, "basis") if raw.get("basis") is not None else None
    routes = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(raw["rows"], start=1):
        entry = f"第{i}行"
        if not isinstance(row, Mapping):
            raise RuleFileError(file, entry, "每行须是映射")
        values = {k: str(row.get(k) or "").strip() for k in ("category", "region", "organ_kind", "duty")}
        missing = [k for k, v in values.items() if not v]
        if missing:
            raise RuleFileError(file, entry, "缺少字段 " + "、".join(missing))
        basis = _basis(row["basis"], file, entry) if row.get("basis") is not None else default
        if basis is None:
            raise RuleFileError(file, entry, "缺少依据 basis")
        key = (values["category"], values["region"])
        if key in seen:
            raise RuleFileError(file, entry, f"「{key[0]}」在地区 {key[1]} 重复")
        seen.add(key)
        routes.append(Route(**values, duty_words=str(row.get("duty_words") or "").strip(), basis=basis))
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise RuleFileError(file, "version", "版本号 version 必须是整数")
    return RoutingTable(str(raw.get("title") or "").strip(), version, tuple(routes), file)


@cache
def default_routing() -> RoutingTable:
    """The shipped routing table, or the file named by XINFANG_ROUTING_FILE."""
    return load_routing(os.environ.get("XINFANG_ROUTING_FILE") or ROUTING_FILE)
