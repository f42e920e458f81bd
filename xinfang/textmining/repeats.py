"""Possible repeats (Arts. 19(3), 36(3)): near-duplicate search over earlier petitions.

Candidates come from MinHash LSH over character 2-shingles (datasketch) and from the same petitioner
(`person_key`, e.g. a hashed ID number); rapidfuzz gives the final text similarity. Every candidate says
why it was proposed. Whether a petition repeats a matter is the staff's decision; this only proposes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]
from rapidfuzz import fuzz

from .places import places
from .tokens import normalise, shingles, words

SEED = 20200101
NUM_PERM = 128
SHINGLE = 2  # bigrams: a reworded copy keeps more of them than of trigrams
# At most this many LSH candidates are re-scored with rapidfuzz, the ones with the highest estimated shingle
# Jaccard (MinHash) first; the same person's petitions always are. On the shared messages a query has 16–34
# candidates on average; texts sharing much boilerplate can have thousands (bench/textmining.md, 100k). 300
# re-scored cost 7 ms a query at 100k; a reworded copy's estimate is far above the 100th candidate's.
MAX_RERANK = 100
# The LSH bands for `lsh_threshold` 0.2 at 128 permutations: 28 bands of 2 rows (datasketch's optimum, equal
# weights for false positives and negatives). `band_keys` gives the same bands as keys a database can index.
BANDS, ROWS = 28, 2


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    person_key: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class Candidate:
    id: str
    similarity: float  # rapidfuzz similarity of the texts in [0, 1]
    same_person: bool
    reasons: tuple[str, ...]  # in Chinese, shown to staff


def _prepare(text: str) -> tuple[str, str]:
    normalised = normalise(text)
    return normalised, " ".join(words(normalised))


def _score(left: tuple[str, str], right: tuple[str, str]) -> float:
    if not left[0] or not right[0]:
        return 0.0
    return round(max(fuzz.ratio(left[0], right[0]), fuzz.token_sort_ratio(left[1], right[1])) / 100, 4)


def similarity(a: str, b: str) -> float:
    """The better of the character ratio and the word-order-free ratio (reordered sentences), in [0, 1]."""
    return _score(_prepare(a), _prepare(b))


def _minhash(text: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, seed=SEED)
    signature.update_batch([s.encode("utf-8") for s in sorted(shingles(text, SHINGLE))])
    return signature


# A place or organisation named in both texts (`places`: 翠湖花园、青石化工厂 …) also makes a candidate: a short
# petition reworded by another neighbour can keep the place and the matter but too few character pairs for any
# band (the demo's 翠湖花园 petitions: text similarity 0.63, shingle Jaccard 0.16, no band shared). In the order of
# candidates a shared place weighs as much as PLACE_WEIGHT shared bands: what a pair at Jaccard 0.38 shares on
# average (28 × 0.38²).
PLACE_WEIGHT = 4


def repeat_keys(text: str) -> list[tuple[int, int]]:
    """(key, weight) of a text: its band keys (weight 1) and a key a place it names (weight PLACE_WEIGHT),
    distinct and in order. Two texts sharing any key are candidates for a possible repeat of each other."""
    keys = {key: 1 for key in band_keys(text)}
    for name in places(text):
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8, salt=b"place")
        keys[int.from_bytes(digest.digest(), "big", signed=True)] = PLACE_WEIGHT
    return sorted(keys.items())


def band_keys(text: str) -> list[int]:
    """The text's LSH band keys as signed 64-bit integers: two texts share a key exactly when the in-memory
    index (`RepeatIndex`, LSH threshold 0.2) proposes one for the other, barring a 64-bit collision.
    A database table of (key, petition) rows then finds every candidate for all workers in one indexed query,
    and the number of keys two texts share (0–28) orders them, as the estimated Jaccard does in memory."""
    if not shingles(text):
        return []
    values = _minhash(text).hashvalues
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8, salt=bytes([band]))
        keys.append(int.from_bytes(digest.digest(), "big", signed=True))
    return keys


class RepeatIndex:
    """An in-memory index of earlier petitions.

    `threshold`: the text similarity from which a petition of another person is a possible repeat;
    `person_threshold`: the lower one for an earlier petition of the same person;
    `lsh_threshold`: the estimated shingle Jaccard from which LSH proposes a candidate (recall over precision).
    """

    def __init__(self, threshold: float = 0.6, person_threshold: float = 0.3, lsh_threshold: float = 0.2) -> None:
        self.threshold = threshold
        self.person_threshold = person_threshold
        self.lsh = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM)
        self.records: dict[str, Record] = {}
        self.prepared: dict[str, tuple[str, str]] = {}  # normalised text and its words, computed once
        self.by_person: dict[str, list[str]] = defaultdict(list)
        # Every signature as one row of a matrix (grown by doubling), so that ranking thousands of candidates
        # is one vectorised comparison, not a stack of thousands of arrays per query.
        self._matrix = np.zeros((1024, NUM_PERM), dtype=np.uint64)
        self._row: dict[str, int] = {}
        self._ids: list[str] = []

    def __len__(self) -> int:
        return len(self.records)

    def add(self, record: Record) -> None:
        if record.id in self.records:
            raise ValueError(f"重复的编号：{record.id}")
        self.records[record.id] = record
        self.prepared[record.id] = _prepare(record.text)
        if shingles(record.text):
            signature = _minhash(record.text)
            self.lsh.insert(record.id, signature)
            row = len(self._row)
            if row == len(self._matrix):
                self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix)])
            self._matrix[row] = signature.hashvalues
            self._row[record.id] = row
            self._ids.append(record.id)
        if record.person_key:
            self.by_person[record.person_key].append(record.id)

    def query(
        self,
        text: str,
        person_key: str = "",
        date: dt.date | None = None,
        *,
        k: int = 5,
        window_days: int | None = None,
        exclude: str | None = None,
    ) -> list[Candidate]:
        """Possible repeats of `text`, most similar first (ties by id); at most k.

        `window_days`: when given with `date`, only earlier or later petitions within that many days
        (the caller reads the window from its rules; none is assumed here).
        """
        signature = _minhash(text) if shingles(text) else None
        ids = set(self.lsh.query(signature)) if signature is not None else set()
        if signature is not None and len(ids) > MAX_RERANK:
            ids = self._closest(signature, ids)
        if person_key:
            ids.update(self.by_person.get(person_key, ()))
        ids.discard(exclude or "")
        chosen = [(self.records[i], self.prepared[i]) for i in ids]
        return _ranked(text, chosen, person_key, date, k, window_days, (self.threshold, self.person_threshold))

    def _closest(self, signature: MinHash, ids: set[str]) -> set[str]:
        """The MAX_RERANK candidates with the highest estimated Jaccard to the query; ties go to the earlier
        indexed (deterministic: rows are numbered in the order of indexing)."""
        rows = np.sort(np.fromiter(map(self._row.__getitem__, ids), dtype=np.int64, count=len(ids)))
        estimate = (self._matrix[rows] == signature.hashvalues).sum(axis=1)
        best = rows[np.lexsort((rows, -estimate))[:MAX_RERANK]]
        return {self._ids[r] for r in best}


def rank(
    text: str,
    records: list[Record],
    person_key: str = "",
    date: dt.date | None = None,
    *,
    k: int = 5,
    window_days: int | None = None,
    threshold: float = 0.6,
    person_threshold: float = 0.3,
) -> list[Candidate]:
    """The given records scored against `text` directly, with the thresholds and order of `RepeatIndex.query`:
    for a handful of candidates already chosen (a caller's readable ones), without building an index."""
    prepared = [(r, _prepare(r.text)) for r in records]
    return _ranked(text, prepared, person_key, date, k, window_days, (threshold, person_threshold))


def _ranked(
    text: str,
    records: list[tuple[Record, tuple[str, str]]],
    person_key: str,
    date: dt.date | None,
    k: int,
    window_days: int | None,
    bars: tuple[float, float],
) -> list[Candidate]:
    """Score, keep what passes the bar (the second, lower one for the same person), most similar first."""
    threshold, person_threshold = bars
    prepared = _prepare(text)
    passed = []
    for record, theirs in records:
        if window_days is not None and date and record.date and abs((date - record.date).days) > window_days:
            continue
        score = _score(prepared, theirs)
        same_person = bool(person_key) and record.person_key == person_key
        if score >= (person_threshold if same_person else threshold):
            passed.append((score, same_person, record))
    passed.sort(key=lambda p: (-p[0], not p[1], p[2].id))
    query_places = places(text) if passed else set()
    # The reasons (places named in both texts) only for the k shown: a letter sent by many passes by the hundred.
    return [
        Candidate(record.id, score, same, _reasons(score, same, query_places, record, date))
        for score, same, record in passed[:k]
    ]


def _reasons(
    score: float, same_person: bool, query_places: set[str], record: Record, date: dt.date | None
) -> tuple[str, ...]:
    reasons = []
    if same_person:
        reasons.append("同一信访人")
    reasons.append(f"内容相似度 {score:.0%}")
    shared = sorted(query_places & places(record.text))
    if shared:
        reasons.append("涉及相同地点：" + "、".join(shared))
    if date and record.date:
        reasons.append(f"相隔 {abs((date - record.date).days)} 日")
    return tuple(reasons)
