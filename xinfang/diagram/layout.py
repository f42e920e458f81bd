"""A layered ("Sugiyama") layout, drawn top to bottom:

1. cycles are broken: edges marked ``back`` always run against the flow; any other edge that closes a cycle in a
   depth-first walk from the first node is drawn against it too;
2. every node gets the layer of its longest path from a root over the remaining edges;
3. node layers get even ranks, and every edge crosses an odd rank where its label sits as a slot of its own, so
   labels take space in the layout instead of being pasted over it; longer edges get thin dummy slots in the
   ranks they cross;
4. barycenter sweeps with adjacent swaps order each rank to reduce crossings;
5. x positions are pulled towards neighbours (see ``order.place_x``), y positions follow the ranks.

An edge between two boxes of one rank, and a self loop, hangs as a U under the box(es) through its label in the
rank below. ``svg.render_svg`` draws the result.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .graph import Edge, Node, back_edges, layers
from .order import Links, order, place_x, total_crossings

NODE_FONT = 14
LABEL_FONT = 12
SUBLABEL_FONT = 11
NODE_HEIGHT = 38
LABEL_HEIGHT = 34  # two lines: the label and the sublabel
NODE_PAD = 14
RANK_GAP = 16
MAX_RANK_GAP = 72
PORT_GAP = 9.0  # between the ends of lines on one side of a box
PORT_MARGIN = 10.0
MARGIN = 24

E = TypeVar("E", bound=Edge)


def text_width(text: str, size: float) -> float:
    """Estimated advance width: full-width characters are one em, others about 0.58 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.58 for ch in text)


@dataclass
class Item:
    """Anything that occupies a slot in a rank: a node, an edge label or a dummy (a line passing through)."""

    key: str
    kind: str  # the node's kind, or "label" | "dummy"
    rank: int
    width: float
    height: float
    edge: int = -1  # for label and dummy items
    node: Node | None = None  # for node items
    x: float = 0.0
    y: float = 0.0  # centre

    @property
    def is_node(self) -> bool:
        return self.node is not None

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


@dataclass
class Chain:
    """The slots one edge passes through, from its upper end to its lower end."""

    edge: int
    upper: str  # item keys
    lower: str
    middle: list[str]
    back: bool  # drawn against the layout direction
    flat: bool = False  # both ends in one rank (or one box: a self loop): a U under the boxes through the label

    @property
    def loop(self) -> bool:
        return self.upper == self.lower


@dataclass
class Layout(Generic[E]):
    items: dict[str, Item]
    ranks: list[list[str]]
    chains: list[Chain]  # one per edge between two boxes
    loops: list[Chain]  # one per self loop
    edges: list[E]
    width: float
    height: float
    crossings: int


def layout(nodes: Sequence[Node], edges: Sequence[E]) -> Layout[E]:
    """Lay out the graph; nodes are tried in the given order (it breaks ties, so the same input gives the same
    drawing). Every edge must join two of the nodes."""
    keys = [n.key for n in nodes]
    if len(set(keys)) != len(keys):
        raise ValueError("node keys must be unique")
    unknown = {k for e in edges for k in (e.source, e.target)} - set(keys)
    if unknown:
        raise ValueError(f"edges join unknown nodes: {sorted(unknown)}")
    back = back_edges(keys, edges)
    layer = layers(keys, edges, back)
    items = {
        n.key: Item(n.key, n.kind, 2 * layer[n.key], text_width(n.label, NODE_FONT) + 2 * NODE_PAD, NODE_HEIGHT, node=n)
        for n in nodes
    }
    every = _chains(items, edges)
    _widen_for_ports(items, every)

    rank_count = max((item.rank for item in items.values()), default=0) + 1
    ranks: list[list[str]] = [[] for _ in range(rank_count)]
    position = {k: i for i, k in enumerate(keys)}
    for key in sorted(items, key=lambda k: _initial_key(items[k], position)):
        ranks[items[key].rank].append(key)
    up, down = _neighbours(every)
    ranks = order(ranks, up, down)
    if items:
        place_x(items, ranks, up, down, MARGIN)
    height = _place_y(items, ranks, down)
    width = max((item.right for item in items.values()), default=0.0) + MARGIN
    chains = [c for c in every if not c.loop]
    loops = [c for c in every if c.loop]
    return Layout(items, ranks, chains, loops, list(edges), width, height, total_crossings(ranks, down))


def label_width(edge: Edge) -> float:
    return max(text_width(edge.label, LABEL_FONT), text_width(edge.sublabel, SUBLABEL_FONT)) + 10


def _chains(items: dict[str, Item], edges: Sequence[Edge]) -> list[Chain]:
    """One chain per edge; adds the label and dummy slots to ``items``. A self loop is a flat chain."""
    label_load: dict[int, float] = {}
    chains: list[Chain] = []
    for i, e in enumerate(edges):
        a, b = items[e.source], items[e.target]
        upper, lower = (a, b) if a.rank <= b.rank else (b, a)
        flat = upper.rank == lower.rank
        lower_rank = upper.rank + 2 if flat else lower.rank
        odd = list(range(upper.rank + 1, lower_rank, 2))
        middle_rank = (upper.rank + lower_rank) / 2
        label_rank = min(odd, key=lambda r: (label_load.get(r, 0.0), abs(r - middle_rank), r))
        width = label_width(e) if e.labelled else 6.0
        label_load[label_rank] = label_load.get(label_rank, 0.0) + width
        middle: list[str] = []
        for r in range(upper.rank + 1, lower_rank):
            if flat and r != label_rank:
                continue
            key = f"e{i}r{r}"
            if r == label_rank and e.labelled:
                items[key] = Item(key, "label", r, width, LABEL_HEIGHT, edge=i)
            else:
                items[key] = Item(key, "dummy", r, 6, LABEL_HEIGHT if r % 2 else NODE_HEIGHT, edge=i)
            middle.append(key)
        back = e.back if a is b else flat or a is lower
        chains.append(Chain(i, upper.key, lower.key, middle, back=back, flat=flat))
    return chains


def _widen_for_ports(items: dict[str, Item], chains: Sequence[Chain]) -> None:
    """A box with many lines on one side is widened so that their ends stay PORT_GAP apart."""
    ends: dict[tuple[str, str], int] = {}
    for chain in chains:
        ends[(chain.upper, "bottom")] = ends.get((chain.upper, "bottom"), 0) + 1
        side = "bottom" if chain.flat else "top"
        ends[(chain.lower, side)] = ends.get((chain.lower, side), 0) + 1
    for (key, _), count in ends.items():
        items[key].width = max(items[key].width, PORT_GAP * (count - 1) + 2 * PORT_MARGIN)


def _place_y(items: dict[str, Item], ranks: Sequence[Sequence[str]], down: Links) -> float:
    """Centres each rank on its line; returns the height of the drawing."""
    y = float(MARGIN)
    for r, rank in enumerate(ranks):
        height = NODE_HEIGHT if r % 2 == 0 else LABEL_HEIGHT
        for key in rank:
            items[key].y = y + height / 2
        # Lines that travel far sideways get more height, so that they do not run flat along the boxes.
        spread = max((abs(items[k].x - items[n].x) for k in rank for n in down.get(k, ())), default=0.0)
        y += height + min(MAX_RANK_GAP, max(RANK_GAP, spread * 0.16))
    return y + MARGIN


def _initial_key(item: Item, position: dict[str, int]) -> tuple[int, float]:
    if item.is_node:
        return (item.rank, float(position[item.key]))
    return (item.rank, float(len(position) + item.edge))


def _neighbours(chains: Sequence[Chain]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains:
        if chain.flat:  # the label hangs below both ends
            for end in (chain.upper, chain.lower):
                down.setdefault(end, []).append(chain.middle[0])
                up.setdefault(chain.middle[0], []).append(end)
            continue
        path = [chain.upper, *chain.middle, chain.lower]
        for a, b in itertools.pairwise(path):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    return up, down
