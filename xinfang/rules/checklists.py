"""Review checklists as data (评查表): items, each with its citation and, where the platform can pre-fill it from
a case's record, the name of that computed check. Django-free."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .loader import DATA_DIR, _citation, _date, _require
from .model import Citation

CHECKLIST_DIR = DATA_DIR / "checklists"


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    citation: Citation
    computed: str = ""  # the pre-fill check's name; empty: the reviewer's judgment alone


@dataclass(frozen=True)
class ChecklistVersion:
    version: int
    effective: dt.date
    items: tuple[CheckItem, ...]

    def item(self, key: str) -> CheckItem:
        return next(i for i in self.items if i.key == key)


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    versions: tuple[ChecklistVersion, ...]
    file: str

    def version_on(self, day: dt.date) -> ChecklistVersion:
        current = None
        for version in self.versions:
            if version.effective <= day:
                current = version
        if current is None:
            raise RuleFileError(self.file, self.id, f"{day.isoformat()} 没有生效的评查表版本")
        return current

    def version(self, number: int) -> ChecklistVersion:
        return next(v for v in self.versions if v.version == number)


def _items(raw: Any, file: str, entry: str) -> tuple[CheckItem, ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleFileError(file, entry, "缺少评查项目 items")
    items, keys = [], set()
    for index, item in enumerate(raw):
        where = f"{entry}.items[{index}]"
        key = str(_require(item, "key", file, where))
        if key in keys:
            raise RuleFileError(file, where, f"评查项目 {key} 重复")
        keys.add(key)
        items.append(
            CheckItem(
                key=key,
                label=str(_require(item, "label", file, where)),
                citation=_citation(item.get("citation"), file, where),
                computed=str(item.get("computed") or ""),
            )
        )
    return tuple(items)


def load_checklist(path: Path) -> Checklist:
    file = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    ident = str(_require(raw, "id", file, "checklist"))
    if ident != path.stem:
        raise RuleFileError(file, ident, "id 须与文件名一致")
    versions = []
    for index, version in enumerate(_require(raw, "versions", file, ident)):
        where = f"{ident}.versions[{index}]"
        versions.append(
            ChecklistVersion(
                version=int(_require(version, "version", file, where)),
                effective=_date(_require(version, "effective", file, where), file, where),
                items=_items(version.get("items"), file, where),
            )
        )
    return Checklist(id=ident, title=str(_require(raw, "title", file, ident)), versions=tuple(versions), file=file)


@cache
def default_checklist(ident: str = "quality_review") -> Checklist:
    return load_checklist(CHECKLIST_DIR / f"{ident}.yaml")
