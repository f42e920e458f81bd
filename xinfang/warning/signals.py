"""Weak-signal factors and their weights (`signals.yaml`, 本平台定义): the score of a topic is the sum of
weight × count over the factors, each shown on the board so that staff see why a topic was flagged."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SIGNALS_FILE = Path(__file__).with_name("signals.yaml")
FACTOR_KEYS = ("new_persons", "collective", "repeat", "escalation", "overdue")


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    weight: float
    note: str


@dataclass(frozen=True)
class SignalRules:
    source: str
    min_count: int
    min_persons: int
    min_ratio: float
    threshold: float
    factors: tuple[Factor, ...]


class SignalFileError(ValueError):
    pass


@cache
def signal_rules(path: Path = SIGNALS_FILE) -> SignalRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if raw.get("source") != "本平台定义":
        raise SignalFileError(f"{path.name}：source 须为“本平台定义”（这些权重不是法定标准）")
    factors = tuple(
        Factor(str(f["key"]), str(f["label"]), float(f["weight"]), str(f.get("note", ""))) for f in raw["factors"]
    )
    unknown = {f.key for f in factors} - set(FACTOR_KEYS)
    if unknown:
        raise SignalFileError(f"{path.name}：未知的因素 {'、'.join(sorted(unknown))}")
    return SignalRules(
        source=raw["source"],
        min_count=int(raw["min_count"]),
        min_persons=int(raw["min_persons"]),
        min_ratio=float(raw["min_ratio"]),
        threshold=float(raw["threshold"]),
        factors=factors,
    )


def score(values: dict[str, int], rules: SignalRules) -> tuple[float, list[dict[str, Any]]]:
    """The total and one row per factor: its label, count, weight and points (count × weight)."""
    rows: list[dict[str, Any]] = [
        {
            "key": f.key,
            "label": f.label,
            "value": values.get(f.key, 0),
            "weight": f.weight,
            "points": round(values.get(f.key, 0) * f.weight, 2),
        }
        for f in rules.factors
    ]
    return round(sum(float(r["points"]) for r in rows), 2), rows


def is_weak_signal(count: int, persons: int, ratio: float, total: float, rules: SignalRules) -> bool:
    return (
        count >= rules.min_count
        and persons >= rules.min_persons
        and ratio >= rules.min_ratio
        and total >= rules.threshold
    )
