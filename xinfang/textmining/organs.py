"""Competent-organ suggestions: the same classifier trained on (message, organ key) pairs.

The organ keys are whatever the caller stores (e.g. an organ's code); the workspace maps them to organs and
combines them with the routing table. Only organs seen in confirmed history can be suggested.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .classifier import Suggestion, TextClassifier
from .features import Message


class OrganSuggester:
    def __init__(self, model: TextClassifier) -> None:
        self.model = model

    @classmethod
    def train(cls, items: Sequence[Message | str], organ_keys: Sequence[str]) -> OrganSuggester:
        return cls(TextClassifier.train(items, organ_keys))

    def suggest(self, item: Message | str, k: int = 3) -> list[Suggestion]:
        """Organ keys, most likely first, with calibrated confidence."""
        return self.model.suggest(item, k)

    def save(self, directory: str | Path) -> Path:
        return self.model.save(directory)

    @classmethod
    def load(cls, directory: str | Path) -> OrganSuggester:
        return cls(TextClassifier.load(directory))
