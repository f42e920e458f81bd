"""Readers for the shared development data (never shipped): ../shared/data/ or XINFANG_DATA_DIR."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from .features import Message

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("XINFANG_DATA_DIR") or REPO.parent / "shared" / "data")


def rows(name: str) -> list[dict[str, str]]:
    path = data_dir() / "teddy2020c" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def labelled() -> tuple[list[Message], list[str]]:
    table = rows("messages_labelled.csv")
    return [Message(r["title"], r["body"]) for r in table], [r["label"] for r in table]
