"""Topic detection: place and organisation entities counted in a recent window against their own baseline.

Django-free and deterministic. A topic is a group of entity variants (``places.mentions``): a name written
inside another ("伊景园" in "伊景园滨河苑", "魅力之城" in "万科魅力之城") is the same topic. On a day ``d`` the
detector counts, for each topic, the items of the last ``window_days`` days (``d`` included) and of the
``baseline_days`` before them; it raises an alert when the recent items come from at least ``min_persons``
distinct petitioners, number at least ``min_count``, and their daily rate is at least ``min_ratio`` times the
baseline's (an empty baseline counts as one item). Persons are keys only: no alert ever names or scores a
person, it names a problem (a place, an organisation) so that the organ responsible for it acts early.
No number of days is assumed here: the caller passes ``Params`` read from its rules.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

from .places import mentions
from .repeats import NUM_PERM, SEED, SHINGLE
from .tokens import normalise, shingles

MIN_VARIANT = 3
CLUSTER = "相似诉求："
CLUSTER_NAME = 16


@dataclass(frozen=True)
class Item:
    id: str
    person: str
    day: dt.date
    text: str


@dataclass(frozen=True)
class Params:
    window_days: int
    baseline_days: int
    min_persons: int
    min_count: int
    min_ratio: float
    # Petitions that name no place are grouped by text (MinHash over character shingles) when this is set:
    # the estimated Jaccard similarity from which two of them are one cluster.
    cluster_similarity: float | None = None


@dataclass(frozen=True)
class Alert:
    topic: str
    day: dt.date
    count: int
    persons: int
    baseline: int
    ratio: float
    ids: tuple[str, ...]
    variants: tuple[str, ...] = field(default=())
    first: dt.date | None = None
    last: dt.date | None = None
    # Items a day from the baseline's first day to ``day`` (the trend line), and the petitioners of the window
    # who wrote nothing about the topic in the baseline.
    trend: tuple[int, ...] = field(default=())
    new_persons: int = 0

    def examples(self, k: int = 5) -> tuple[str, ...]:
        return self.ids[:k]


def is_hotspot(alert: Alert, params: Params) -> bool:
    return alert.persons >= params.min_persons and alert.count >= params.min_count and alert.ratio >= params.min_ratio


class _Groups:
    """Union-find over entity names, merging a name with every known name it contains or is contained in."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.by_part: dict[str, set[str]] = defaultdict(set)

    def find(self, name: str) -> str:
        root = name
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[name] != root:
            self.parent[name], name = root, self.parent[name]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def add(self, name: str) -> None:
        if name in self.parent:
            return
        self.parent[name] = name
        for other in sorted(self.by_part.get(name, ())):  # known names containing this one
            self._union(name, other)
        for part in _parts(name):
            if part in self.parent:  # a known name inside this one
                self._union(name, part)
            self.by_part[part].add(name)


def _parts(name: str) -> set[str]:
    return {
        name[i:j] for i in range(len(name)) for j in range(i + MIN_VARIANT, len(name) + 1) if (i, j) != (0, len(name))
    }


class TopicIndex:
    """Items added in any order; ``detect(day, params)`` sees only the items dated up to ``day``."""

    def __init__(self) -> None:
        self.groups = _Groups()
        self.items: dict[str, Item] = {}
        self.names: dict[str, tuple[str, ...]] = {}
        self.seen: Counter[str] = Counter()
        self.unnamed: list[str] = []
        self.signatures: dict[str, MinHash] = {}  # computed when first clustered

    def add(self, item: Item) -> None:
        if item.id in self.items:
            raise ValueError(f"重复的编号：{item.id}")
        names = tuple(dict.fromkeys(mentions(item.text)))
        self.items[item.id] = item
        self.names[item.id] = names
        for name in names:
            self.groups.add(name)
            self.seen[name] += 1
        if not names:
            self.unnamed.append(item.id)

    def extend(self, items: Iterable[Item]) -> None:
        for item in items:
            self.add(item)

    def detect(self, day: dt.date, params: Params) -> list[Alert]:
        """The topics raised on ``day``: enough petitions from enough petitioners, rising against the baseline."""
        return [a for a in self.candidates(day, params) if is_hotspot(a, params)]

    def candidates(self, day: dt.date, params: Params) -> list[Alert]:
        """Every topic with an item in the recent window on ``day``, scored but not filtered (weak signals are
        chosen among them by the caller's own factors)."""
        start = day - dt.timedelta(days=params.window_days - 1)
        base_start = start - dt.timedelta(days=params.baseline_days)
        recent: dict[str, list[Item]] = defaultdict(list)
        baseline: Counter[str] = Counter()
        base_persons: dict[str, set[str]] = defaultdict(set)
        per_day: dict[str, Counter[int]] = defaultdict(Counter)
        variants: dict[str, set[str]] = defaultdict(set)
        clusters = self._clusters(base_start, day, params.cluster_similarity)
        for item_id, item in self.items.items():
            if not base_start <= item.day <= day:
                continue
            roots = {self.groups.find(n) for n in self.names[item_id]} or {clusters.get(item_id, "")} - {""}
            for root in roots:
                per_day[root][(item.day - base_start).days] += 1
                if item.day >= start:
                    recent[root].append(item)
                    variants[root].update(n for n in self.names[item_id] if self.groups.find(n) == root)
                    if root.startswith(CLUSTER):
                        variants[root].add(root)
                else:
                    baseline[root] += 1
                    base_persons[root].add(item.person)
        span = (day - base_start).days + 1
        alerts = []
        for root, items in recent.items():
            persons = {i.person for i in items}
            base_rate = max(baseline[root], 1) / params.baseline_days
            ratio = len(items) / params.window_days / base_rate
            items.sort(key=lambda i: (i.day, i.id))
            alerts.append(
                Alert(
                    topic=self._name(variants[root]),
                    day=day,
                    count=len(items),
                    persons=len(persons),
                    baseline=baseline[root],
                    ratio=round(ratio, 2),
                    ids=tuple(i.id for i in items),
                    variants=tuple(sorted(variants[root])),
                    first=items[0].day,
                    last=items[-1].day,
                    trend=tuple(per_day[root][n] for n in range(span)),
                    new_persons=len(persons - base_persons[root]),
                )
            )
        return sorted(alerts, key=lambda a: (-a.ratio, -a.count, a.topic))

    def _clusters(self, first: dt.date, last: dt.date, threshold: float | None) -> dict[str, str]:
        """Item id -> cluster key, for the items without a place name dated in [first, last] that have a
        near-duplicate there; the key names the cluster by the start of its earliest item."""
        if threshold is None:
            return {}
        ids = sorted(
            (i for i in self.unnamed if first <= self.items[i].day <= last), key=lambda i: (self.items[i].day, i)
        )
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        parent = {i: i for i in ids}
        position = {i: n for n, i in enumerate(ids)}

        def find(i: str) -> str:
            while parent[i] != i:
                i = parent[i]
            return i

        for i in ids:
            if i not in self.signatures:
                self.signatures[i] = MinHash(num_perm=NUM_PERM, seed=SEED)
                self.signatures[i].update_batch(
                    [g.encode("utf-8") for g in sorted(shingles(self.items[i].text, SHINGLE))]
                )
            for j in lsh.query(self.signatures[i]):
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b, key=position.__getitem__)] = min(a, b, key=position.__getitem__)
            lsh.insert(i, self.signatures[i])
        members: dict[str, list[str]] = defaultdict(list)
        for i in ids:
            members[find(i)].append(i)
        return {
            i: CLUSTER + normalise(self.items[root].text)[:CLUSTER_NAME]
            for root, group in members.items()
            if len(group) > 1
            for i in group
        }

    def _name(self, variants: set[str]) -> str:
        """The variant written most often so far; ties go to the shorter, then the first in code-point order."""
        return min(variants, key=lambda n: (-self.seen[n], len(n), n))


class StableNames:
    """Keeps a topic's name from one day to the next: once a topic has been raised under a name, a later alert
    that shares any of its variants carries the same name, even if another spelling has become commoner."""

    def __init__(self) -> None:
        self.name_of: dict[str, str] = {}
        self.order: dict[str, int] = {}

    def __call__(self, alert: Alert) -> Alert:
        known = [self.name_of[v] for v in alert.variants if v in self.name_of]
        name = min(known, key=self.order.__getitem__) if known else alert.topic
        self.order.setdefault(name, len(self.order))
        for variant in alert.variants:
            self.name_of.setdefault(variant, name)
        return alert if name == alert.topic else replace(alert, topic=name)


def replay(
    items: Iterable[Item], first: dt.date, last: dt.date, params: Params
) -> Iterator[tuple[dt.date, list[Alert]]]:
    """Each day from ``first`` to ``last`` in order, as the nightly task would run it: the index holds only the
    items dated up to that day (earlier items are the history of the first day). Yields the day's alerts, one
    per topic name, their names kept stable across days."""
    ordered = sorted(items, key=lambda i: (i.day, i.id))
    index, names, position = TopicIndex(), StableNames(), 0
    day = first
    while day <= last:
        while position < len(ordered) and ordered[position].day <= day:
            index.add(ordered[position])
            position += 1
        raised: dict[str, Alert] = {}
        for alert in index.detect(day, params):
            named = names(alert)
            raised.setdefault(named.topic, named)
        yield day, list(raised.values())
        day += dt.timedelta(days=1)
