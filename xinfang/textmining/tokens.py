"""Text normalisation and tokenisation: NFKC, lower case, rjieba words, character n-grams."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import rjieba

_SPACES = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, runs of white space as one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def words(text: str) -> list[str]:
    """Words from rjieba (precise mode, no HMM so that the result never depends on a statistical guess)."""
    return [w for w in rjieba.cut(normalise(text), False) if w.strip()]


def char_ngrams(text: str, sizes: Iterable[int] = (1, 2, 3)) -> list[str]:
    """Overlapping character n-grams of the normalised text, white space dropped."""
    chars = normalise(text).replace(" ", "")
    grams: list[str] = []
    for n in sizes:
        grams.extend(chars[i : i + n] for i in range(len(chars) - n + 1))
    return grams


def shingles(text: str, size: int = 3) -> set[str]:
    """Character shingles for near-duplicate search: punctuation and white space removed first."""
    chars = "".join(c for c in normalise(text) if c.isalnum())
    if len(chars) <= size:
        return {chars} if chars else set()
    return {chars[i : i + size] for i in range(len(chars) - size + 1)}
