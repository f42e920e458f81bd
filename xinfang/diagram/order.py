"""Within each rank: the order of the slots (fewer crossings) and their x positions (close to their neighbours)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

Links = Mapping[str, list[str]]  # slot key -> the keys it is joined to in the rank above (up) or below (down)


class Slot(Protocol):
    kind: str
    width: float
    x: float

    @property
    def is_node(self) -> bool: ...


def crossings_between(upper: Sequence[str], lower: Sequence[str], down: Links) -> int:
    pos = {k: i for i, k in enumerate(lower)}
    segments = [(i, pos[b]) for i, a in enumerate(upper) for b in down.get(a, ()) if b in pos]
    count = 0
    for n, (a1, b1) in enumerate(segments):
        for a2, b2 in segments[n + 1 :]:
            if (a1 - a2) * (b1 - b2) < 0:
                count += 1
    return count


def total_crossings(ranks: Sequence[Sequence[str]], down: Links) -> int:
    return sum(crossings_between(ranks[r], ranks[r + 1], down) for r in range(len(ranks) - 1))


def order(ranks: list[list[str]], up: Links, down: Links, sweeps: int = 24) -> list[list[str]]:
    """Barycenter sweeps, each followed by adjacent swaps; keeps the ordering with the fewest crossings."""
    best = [list(r) for r in ranks]
    best_count = total_crossings(best, down)
    current = [list(r) for r in ranks]
    for iteration in range(sweeps):
        downward = iteration % 2 == 0
        sequence = range(1, len(current)) if downward else range(len(current) - 2, -1, -1)
        for r in sequence:
            fixed = current[r - 1] if downward else current[r + 1]
            links = up if downward else down
            pos = {k: i for i, k in enumerate(fixed)}
            keyed = []
            for i, k in enumerate(current[r]):
                anchors = [pos[n] for n in links.get(k, ()) if n in pos]
                centre = sum(anchors) / len(anchors) if anchors else float(i)
                keyed.append((centre, i, k))
            current[r] = [k for _, _, k in sorted(keyed)]
        _transpose(current, down)
        count = total_crossings(current, down)
        if count < best_count:
            best, best_count = [list(r) for r in current], count
    return best


def _transpose(ranks: list[list[str]], down: Links) -> None:
    improved = True
    rounds = 0
    while improved and rounds < 8:
        improved = False
        rounds += 1
        for r, rank in enumerate(ranks):
            for i in range(len(rank) - 1):
                before = _local_crossings(ranks, r, down)
                rank[i], rank[i + 1] = rank[i + 1], rank[i]
                if _local_crossings(ranks, r, down) < before:
                    improved = True
                else:
                    rank[i], rank[i + 1] = rank[i + 1], rank[i]


def _local_crossings(ranks: Sequence[Sequence[str]], r: int, down: Links) -> int:
    count = 0
    if r > 0:
        count += crossings_between(ranks[r - 1], ranks[r], down)
    if r < len(ranks) - 1:
        count += crossings_between(ranks[r], ranks[r + 1], down)
    return count


def isotonic(targets: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Weighted least squares fit that never decreases (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    result: list[float] = []
    for mean, _, count in blocks:
        result.extend([mean] * int(count))
    return result


NODE_SPACING = 22.0  # between two boxes
SLOT_SPACING = 10.0  # when a label or a line is involved
WEIGHT = {"label": 2.0, "dummy": 4.0}  # how hard a slot is pulled towards its neighbours; boxes 1.0


def gap(a: Slot, b: Slot) -> float:
    """The least distance between the centres of two neighbours in a rank."""
    spacing = NODE_SPACING if a.is_node and b.is_node else SLOT_SPACING
    return (a.width + b.width) / 2 + spacing


def place_x(slots: Mapping[str, Slot], ranks: Sequence[Sequence[str]], up: Links, down: Links, margin: float) -> None:
    """x positions: each rank in turn is fitted to the mean x of its neighbours (weighted least squares with the
    minimum gaps as constraints, solved exactly by pool-adjacent-violators); then shifted so the left edge is at
    ``margin``."""
    for rank in ranks:  # packed start
        x = 0.0
        for n, key in enumerate(rank):
            if n:
                x += gap(slots[rank[n - 1]], slots[key])
            slots[key].x = x
    for iteration in range(60):
        mode = iteration % 3  # 0: pulled by the rank above, 1: by the rank below, 2: by both
        sequence = range(len(ranks)) if mode != 1 else range(len(ranks) - 1, -1, -1)
        for r in sequence:
            rank = ranks[r]
            if not rank:
                continue
            offsets = [0.0]
            for n in range(1, len(rank)):
                offsets.append(offsets[-1] + gap(slots[rank[n - 1]], slots[rank[n]]))
            targets, weights = [], []
            for key, offset in zip(rank, offsets, strict=True):
                linked = (up.get(key, []) if mode != 1 else []) + (down.get(key, []) if mode != 0 else [])
                desired = sum(slots[k].x for k in linked) / len(linked) if linked else slots[key].x
                targets.append(desired - offset)
                weights.append(WEIGHT.get(slots[key].kind, 1.0) * (1.0 if linked else 0.05))
            fitted = isotonic(targets, weights)
            for key, value, offset in zip(rank, fitted, offsets, strict=True):
                slots[key].x = value + offset
    left = min(slot.x - slot.width / 2 for slot in slots.values())
    for slot in slots.values():
        slot.x += margin - left
