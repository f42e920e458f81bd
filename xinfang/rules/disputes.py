"""The kinds of disputes grid workers report (`data/grid/dispute_kinds.yaml`): cited, with their source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .errors import RuleFileError
from .loader import DATA_DIR, _citation, _require
from .model import Citation

FILE = DATA_DIR / "grid" / "dispute_kinds.yaml"


@dataclass(frozen=True)
class DisputeKind:
    id: str
    label: str
    named_by_issue: bool


@dataclass(frozen=True)
class DisputeKinds:
    title: str
    effective: dt.date
    citation: Citation
    source: str
    kinds: tuple[DisputeKind, ...]

    def label(self, kind_id: str) -> str:
        return next((k.label for k in self.kinds if k.id == kind_id), "其他纠纷")

    def choices(self) -> list[tuple[str, str]]:
        return [(k.id, k.label) for k in self.kinds]


def load_dispute_kinds(path: Path = FILE) -> DisputeKinds:
    file = path.name
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = []
    for index, entry in enumerate(_require(raw, "kinds", file, "kinds"), start=1):
        where = f"kinds 第{index}项"
        kinds.append(
            DisputeKind(
                id=_require(entry, "id", file, where),
                label=_require(entry, "label", file, where),
                named_by_issue=bool(entry.get("named_by_issue", False)),
            )
        )
    if len({k.id for k in kinds}) != len(kinds):
        raise RuleFileError(file, "kinds", "类别 id 不得重复")
    effective = _require(raw, "effective", file, "effective")
    return DisputeKinds(
        title=_require(raw, "title", file, "title"),
        effective=effective if isinstance(effective, dt.date) else dt.date.fromisoformat(str(effective)),
        citation=_citation(raw.get("citation"), file, "citation"),
        source=_require(raw, "source", file, "source"),
        kinds=tuple(kinds),
    )


@cache
def dispute_kinds() -> DisputeKinds:
    return load_dispute_kinds()
