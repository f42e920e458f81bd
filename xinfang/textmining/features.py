"""The feature blocks of a message: char 1–3-gram TF-IDF of the whole text, a char block for the title,
and word 1–2-grams from rjieba. Fitted on the training texts only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from .tokens import normalise, words


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""

    @property
    def text(self) -> str:
        return f"{self.title}。{self.body}" if self.title and self.body else self.title or self.body


def as_message(item: Message | str) -> Message:
    """A bare string is a message without a title."""
    return item if isinstance(item, Message) else Message("", item)


def _char(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=min_df, dtype=np.float64)


class Features:
    def __init__(self, min_df: int = 2, title_weight: float = 0.7) -> None:
        # The title is also in the whole text; its own block counts 0.7 (5-fold CV in bench/textmining.md:
        # 0.9202 against 0.9187 at 0.5, calibrated; 0.9192 at 0.8, plain SVM).
        self.title_weight = title_weight
        self.whole = _char(min_df)
        self.title = _char(min_df)
        self.words = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=min_df,
            dtype=np.float64,
        )

    @staticmethod
    def _columns(messages: Sequence[Message]) -> tuple[list[str], list[str], list[str]]:
        whole = [normalise(m.text) for m in messages]
        titles = [normalise(m.title) for m in messages]
        tokens = [" ".join(words(t)) for t in whole]
        return whole, titles, tokens

    def _vectorizers(self) -> list[TfidfVectorizer]:
        return [self.whole, self.title, self.words]

    def _weight(self, vectorizer: TfidfVectorizer) -> float:
        return self.title_weight if vectorizer is self.title else 1.0

    def fit_transform(self, messages: Sequence[Message]) -> sp.csr_matrix:
        self.fitted: list[bool] = []
        blocks = []
        for vectorizer, column in zip(self._vectorizers(), self._columns(messages), strict=True):
            try:
                blocks.append(vectorizer.fit_transform(column) * self._weight(vectorizer))
                self.fitted.append(True)
            except ValueError:  # an empty vocabulary, e.g. no message has a title: the block is left out
                self.fitted.append(False)
        return sp.hstack(blocks, format="csr")

    def transform(self, messages: Sequence[Message]) -> sp.csr_matrix:
        columns = self._columns(messages)
        blocks = [
            v.transform(c) * self._weight(v)
            for v, c, f in zip(self._vectorizers(), columns, self.fitted, strict=True)
            if f
        ]
        return sp.hstack(blocks, format="csr")
