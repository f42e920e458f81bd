"""The graph a diagram draws: nodes and edges, which edges run against the flow, and the layer of each node."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EDGE_KINDS = ("label", "dummy")  # kinds the layout gives to the slots an edge occupies; no node may use them


@dataclass(frozen=True)
class Node:
    """A box. ``kind`` is free for the caller (it is copied onto the layout item); the rest is appearance."""

    key: str
    label: str
    kind: str = "node"
    title: str = ""  # tooltip
    fill: str = "#ffffff"
    stroke: str | None = "#8c959f"  # None: no border
    text_colour: str = "#1f2328"
    double: bool = False  # a second border inside the first
    bold: bool = False
    pill: bool = False  # fully rounded ends
    classes: tuple[str, ...] = ("node",)  # CSS classes, each written with the diagram's prefix
    data: tuple[tuple[str, str], ...] = ()  # extra data-* attributes

    def __post_init__(self) -> None:
        if self.kind in EDGE_KINDS:
            raise ValueError(f"node kind {self.kind!r} is reserved for edges")


@dataclass(frozen=True)
class Edge:
    """An arrow from ``source`` to ``target`` (node keys), with an optional two-line label."""

    source: str
    target: str
    label: str = ""
    sublabel: str = ""  # a second, smaller line under the label (e.g. a code)
    title: str = ""  # tooltip
    back: bool = False  # always drawn against the flow (dashed), whatever the cycles
    data: tuple[tuple[str, str], ...] = ()  # extra data-* attributes

    @property
    def labelled(self) -> bool:
        return bool(self.label or self.sublabel)


def back_edges(nodes: Sequence[str], edges: Sequence[Edge]) -> set[int]:
    """Indexes of edges drawn against the flow: those marked ``back``, self loops, and edges closing a cycle
    in a depth-first walk that starts from the nodes in their given order."""
    back = {i for i, e in enumerate(edges) if e.back or e.source == e.target}
    out: dict[str, list[int]] = {n: [] for n in nodes}
    for i, e in enumerate(edges):
        if i not in back:
            out[e.source].append(i)
    colour: dict[str, int] = dict.fromkeys(nodes, 0)  # 0 new, 1 on the stack, 2 done
    for root in nodes:
        if colour[root]:
            continue
        colour[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, k = stack[-1]
            if k < len(out[node]):
                stack[-1] = (node, k + 1)
                i = out[node][k]
                nxt = edges[i].target
                if colour[nxt] == 1:
                    back.add(i)
                elif colour[nxt] == 0:
                    colour[nxt] = 1
                    stack.append((nxt, 0))
            else:
                colour[node] = 2
                stack.pop()
    return back


def layers(nodes: Sequence[str], edges: Sequence[Edge], back: set[int]) -> dict[str, int]:
    """The layer of each node: its longest path from a root over the forward edges (Kahn's order)."""
    indegree = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for i, e in enumerate(edges):
        if i not in back:
            out[e.source].append(e.target)
            indegree[e.target] += 1
    layer = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        node = ready.pop(0)
        for nxt in out[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return layer
