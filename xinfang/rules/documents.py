"""Document kinds as data: each written notice's required content items, each with its citation.

A document missing a required item cannot be issued; the refusal names the item and the article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError
from .loader import DATA_DIR, _citation, _date, _require
from .model import Citation

ADDRESSEES = ("petitioner", "organ")


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    citation: Citation
    choices: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class KindVersion:
    version: int
    effective: dt.date
    number_code: str  # the 字 of the 发文字号, e.g. 信意
    approval_required: bool  # 办理审核: the approver signs before issue
    addressee: str  # petitioner | organ
    items: tuple[Item, ...]
    serves_notice: tuple[str, ...] = ()  # clocks its service meets, e.g. receipt_notice
    starts_on_service: tuple[str, ...] = ()  # petitioner windows its service starts, e.g. review_request

    def item(self, key: str) -> Item:
        return next(i for i in self.items if i.key == key)


@dataclass(frozen=True)
class DocumentKind:
    id: str
    title: str
    versions: tuple[KindVersion, ...]
    file: str

    def version_on(self, day: dt.date) -> KindVersion:
        current = None
        for version in self.versions:
            if version.effective <= day:
                current = version
        if current is None:
            raise RuleFileError(self.file, self.id, f"{day.isoformat()} 没有生效的文书版本")
        return current


def missing_items(version: KindVersion, content: Mapping[str, Any]) -> list[Item]:
    """Required items that are empty, or a choice outside the allowed ones."""
    missing = []
    for item in version.items:
        value = str(content.get(item.key) or "").strip()
        if (not value and not item.optional) or (value and item.choices and value not in item.choices):
            missing.append(item)
    return missing


def refusal(version: KindVersion, content: Mapping[str, Any]) -> str | None:
    problems = missing_items(version, content)
    if not problems:
        return None
    return "；".join(
        f"缺少「{item.label}」"
        + (f"（须为{'、'.join(item.choices)}之一）" if item.choices else "")
        + f"，依据{item.citation.short()}：“{item.citation.quote}”"
        for item in problems
    )


def _items(raw: Any, file: str, entry: str) -> tuple[Item, ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleFileError(file, entry, "没有任何必备内容 items")
    items = []
    for index, item in enumerate(raw, start=1):
        where = f"{entry} items 第{index}项"
        key = _require(item, "key", file, where)
        items.append(
            Item(
                key=key,
                label=_require(item, "label", file, f"{where}（{key}）"),
                citation=_citation(item.get("citation"), file, f"{where}（{key}）"),
                choices=tuple(item.get("choices") or ()),
                optional=bool(item.get("optional", False)),
            )
        )
    keys = [i.key for i in items]
    if len(set(keys)) != len(keys):
        raise RuleFileError(file, entry, "必备内容的 key 不得重复")
    return tuple(items)


def load_kind(path: Path) -> DocumentKind:
    file = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    kind_id = _require(raw, "id", file, "id")
    if kind_id != path.stem:
        raise RuleFileError(file, "id", f"文书种类标识 {kind_id} 必须与文件名 {path.stem} 一致")
    versions = []
    for index, version in enumerate(raw.get("versions") or [], start=1):
        entry = f"versions 第{index}项"
        addressee = _require(version, "addressee", file, entry)
        if addressee not in ADDRESSEES:
            raise RuleFileError(file, entry, f"addressee 须为 {'/'.join(ADDRESSEES)}")
        versions.append(
            KindVersion(
                version=int(_require(version, "version", file, entry)),
                effective=_date(_require(version, "effective", file, entry), file, entry),
                number_code=_require(version, "number_code", file, entry),
                approval_required=bool(version.get("approval_required", False)),
                addressee=addressee,
                items=_items(version.get("items"), file, entry),
                serves_notice=tuple(version.get("serves_notice") or ()),
                starts_on_service=tuple(version.get("starts_on_service") or ()),
            )
        )
    if not versions:
        raise RuleFileError(file, "versions", "没有任何文书版本")
    return DocumentKind(kind_id, _require(raw, "title", file, "title"), tuple(versions), file)


def load_document_kinds(data_dir: Path = DATA_DIR) -> dict[str, DocumentKind]:
    return {kind.id: kind for kind in map(load_kind, sorted((data_dir / "documents").glob("*.yaml")))}


@cache
def default_document_kinds() -> dict[str, DocumentKind]:
    return load_document_kinds()
