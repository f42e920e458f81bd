"""The content taxonomy (信访内容分类, 一级/二级/三级) as data, from `data/taxonomy/content.yaml`.

Django-free like the rest of this package. `XINFANG_TAXONOMY_FILE` may name another file of the same format.
A file with an empty name or a category listed twice is refused, naming the file and the entry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .loader import DATA_DIR

TAXONOMY_FILE = DATA_DIR / "taxonomy" / "content.yaml"
SEPARATOR = "/"


@dataclass(frozen=True)
class Category:
    level1: str
    level2: str = ""
    level3: str = ""

    @property
    def key(self) -> str:
        """The stable key used in storage and statistics: the path of names, e.g. 城乡建设/安全生产/事故处理."""
        return SEPARATOR.join(p for p in (self.level1, self.level2, self.level3) if p)

    @property
    def depth(self) -> int:
        return 3 if self.level3 else 2 if self.level2 else 1


@dataclass(frozen=True)
class Taxonomy:
    title: str
    source: str
    version: int
    tree: Mapping[str, Mapping[str, tuple[str, ...]]]  # level1 -> level2 -> level3 names, in file order
    file: str

    def level1(self) -> list[str]:
        return list(self.tree)

    def level2(self, level1: str) -> list[str]:
        return list(self.tree.get(level1, {}))

    def level3(self, level1: str, level2: str) -> list[str]:
        return list(self.tree.get(level1, {}).get(level2, ()))

    def leaves(self) -> Iterator[Category]:
        for l1, children in self.tree.items():
            for l2, leaves in children.items():
                for l3 in leaves:
                    yield Category(l1, l2, l3)

    def get(self, key: str) -> Category:
        """The category at a key (one, two or three levels); KeyError naming the key if there is none."""
        parts = key.split(SEPARATOR)
        if not 1 <= len(parts) <= 3 or not all(parts):
            raise KeyError(f"内容分类键格式错误：{key}")
        category = Category(*parts)
        known = (
            parts[0] in self.tree
            and (len(parts) < 2 or parts[1] in self.tree[parts[0]])
            and (len(parts) < 3 or parts[2] in self.tree[parts[0]][parts[1]])
        )
        if not known:
            raise KeyError(f"内容分类中没有「{key}」")
        return category

    def __contains__(self, key: object) -> bool:
        try:
            self.get(str(key))
        except KeyError:
            return False
        return True


def _name(raw: Any, file: str, entry: str) -> str:
    if not isinstance(raw, str) or not raw.strip() or SEPARATOR in raw:
        raise RuleFileError(file, entry, f"分类名称为空或含有「{SEPARATOR}」：{raw!r}")
    return raw.strip()


def _children(raw: Any, file: str, entry: str) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise RuleFileError(file, entry, "缺少下级分类 children")
    return raw


def load_taxonomy(path: Path | str) -> Taxonomy:
    path = Path(path)
    file = path.name
    raw = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(raw, Mapping):
        raise RuleFileError(file, "（文件）", "内容分类文件必须是映射")
    tree: dict[str, dict[str, tuple[str, ...]]] = {}
    for i, item in enumerate(_children(raw.get("categories"), file, "categories"), start=1):
        if not isinstance(item, Mapping):
            raise RuleFileError(file, f"一级第{i}项", "须含 name 和 children")
        l1 = _name(item.get("name"), file, f"一级第{i}项")
        if l1 in tree:
            raise RuleFileError(file, l1, "一级分类重复")
        tree[l1] = {}
        for j, child in enumerate(_children(item.get("children"), file, l1), start=1):
            if not isinstance(child, Mapping):
                raise RuleFileError(file, f"{l1}/第{j}项", "须含 name 和 children")
            l2 = _name(child.get("name"), file, f"{l1}/第{j}项")
            if l2 in tree[l1]:
                raise RuleFileError(file, f"{l1}/{l2}", "二级分类重复")
            leaves = [_name(x, file, f"{l1}/{l2}") for x in _children(child.get("children"), file, f"{l1}/{l2}")]
            repeated = sorted({x for x in leaves if leaves.count(x) > 1})
            if repeated:
                raise RuleFileError(file, f"{l1}/{l2}", "三级分类重复：" + "、".join(repeated))
            tree[l1][l2] = tuple(leaves)
    for key in ("title", "source"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RuleFileError(file, key, f"缺少必填字段 {key}（须写明来源）")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise RuleFileError(file, "version", "版本号 version 必须是整数")
    return Taxonomy(raw["title"].strip(), raw["source"].strip(), version, tree, file)


@cache
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy, or the file named by XINFANG_TAXONOMY_FILE."""
    return load_taxonomy(os.environ.get("XINFANG_TAXONOMY_FILE") or TAXONOMY_FILE)
