"""A layout as a standalone, accessible SVG string. Every piece of text is escaped, so the result is safe to
inline in HTML. Class names and ids carry a prefix, so two diagrams can share a page and a stylesheet."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from html import escape

from .graph import Edge, Node
from .layout import LABEL_FONT, NODE_FONT, PORT_MARGIN, SUBLABEL_FONT, Chain, E, Item, Layout

EDGE_COLOUR = "#57606a"
BACK_COLOUR = "#0b5cad"
TEXT_COLOUR = "#1f2328"
FONT_FAMILY = "'Noto Sans CJK SC', sans-serif"

Point = tuple[float, float]
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def render_svg(
    lay: Layout[E],
    *,
    title: str,
    description: str,
    prefix: str = "dg",
    font_family: str = FONT_FAMILY,
) -> str:
    """The drawing, edges first so that boxes and labels sit on top of the lines. ``prefix`` starts every
    class name and id (letters, digits and underscores)."""
    if not PREFIX.fullmatch(prefix):
        raise ValueError(f"prefix {prefix!r} is not a plain name")
    p = prefix
    edges = lay.edges
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{p}-diagram" role="img" '
        f'aria-labelledby="{p}-title {p}-desc" width="{fmt(lay.width)}" height="{fmt(lay.height)}" '
        f'viewBox="0 0 {fmt(lay.width)} {fmt(lay.height)}" font-family="{_attr(font_family)}">',
        f'<title id="{p}-title">{escape(title)}</title>',
        f'<desc id="{p}-desc">{escape(description)}</desc>',
        "<defs>",
        _marker(f"{p}-arrow", EDGE_COLOUR),
        _marker(f"{p}-arrow-back", BACK_COLOUR),
        "</defs>",
    ]
    ports = _ports(lay)
    labels: list[str] = []
    for chain in (*lay.chains, *lay.loops):
        e = edges[chain.edge]
        points = chain_points(lay, chain, ports)
        if chain.upper != e.source:  # drawn from the source to the target, whichever is higher
            points.reverse()
        colour, marker = (BACK_COLOUR, f"{p}-arrow-back") if chain.back else (EDGE_COLOUR, f"{p}-arrow")
        dash = ' stroke-dasharray="6 4"' if chain.back else ""
        d = path(points)
        out.append(
            f'<g class="{p}-edge{f" {p}-back" if chain.back else ""}"{_data(e)}>{_title(e.title)}'
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.4"{dash} marker-end="url(#{marker})"/>'
            f'<path class="{p}-hit" d="{d}" fill="none" stroke="transparent" stroke-width="10"/>'
            "</g>"
        )
        label = next((lay.items[k] for k in chain.middle if lay.items[k].kind == "label"), None)
        if label is not None:
            labels.append(_edge_label(label, e, colour, p))
    for key in itertools.chain.from_iterable(lay.ranks):
        item = lay.items[key]
        if item.node is not None:
            out.append(_node(item, item.node, p))
    out.extend(labels)
    out.append("</svg>")
    return "\n".join(out)


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>" if text else ""


def _data(e: Edge) -> str:
    pairs = [*e.data, ("from", e.source), ("to", e.target)]
    return "".join(f' data-{_attr(k)}="{_attr(v)}"' for k, v in pairs)


def _ports(lay: Layout[E]) -> dict[tuple[int, int], float]:
    """Spread the ends of the edges along the top and bottom of each box, ordered by where they go.
    Keyed by (edge, end): end 0 is the upper end of the chain, 1 the lower."""
    bottom: dict[str, list[tuple[float, int, int]]] = {}
    top: dict[str, list[tuple[float, int, int]]] = {}
    for chain in (*lay.chains, *lay.loops):
        path_keys = [chain.upper, *chain.middle, chain.lower]
        bottom.setdefault(chain.upper, []).append((lay.items[path_keys[1]].x, 0, chain.edge))
        side = bottom if chain.flat else top
        side.setdefault(chain.lower, []).append((lay.items[path_keys[-2]].x, 1, chain.edge))
    ports: dict[tuple[int, int], float] = {}
    for table in (bottom, top):
        for key, ends in table.items():
            item = lay.items[key]
            ends.sort()
            span = min(item.width - 2 * PORT_MARGIN, 12.0 * (len(ends) - 1))
            for n, (_, end, edge) in enumerate(ends):
                offset = 0.0 if len(ends) == 1 else -span / 2 + span * n / (len(ends) - 1)
                ports[(edge, end)] = item.x + offset
    return ports


def chain_points(
    lay: Layout[E],
    chain: Chain,
    ports: Mapping[tuple[int, int], float],
) -> list[Point]:
    """The points a line passes, from the bottom of its upper box to its lower box (the top of it, or, for a
    flat edge or a self loop, its bottom)."""
    upper = lay.items[chain.upper]
    lower = lay.items[chain.lower]
    points = [(ports[(chain.edge, 0)], upper.bottom)]
    if chain.flat:  # down to the top of the label, and back up to the other box
        label = lay.items[chain.middle[0]]
        points.append((label.x, label.top))
        points.append((ports[(chain.edge, 1)], lower.bottom))
        return points
    for key in chain.middle:
        item = lay.items[key]
        points.append((item.x, item.top))
        points.append((item.x, item.bottom))
    points.append((ports[(chain.edge, 1)], lower.top))
    return points


def path(points: Sequence[Point]) -> str:
    """Straight where the line runs vertically, a vertical cubic curve where it moves sideways."""
    parts = [f"M{fmt(points[0][0])},{fmt(points[0][1])}"]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        if abs(x1 - x2) < 0.5:
            parts.append(f"L{fmt(x2)},{fmt(y2)}")
        else:
            dy = (y2 - y1) / 2 if abs(y2 - y1) > 1 else 20.0
            parts.append(f"C{fmt(x1)},{fmt(y1 + dy)} {fmt(x2)},{fmt(y2 - dy)} {fmt(x2)},{fmt(y2)}")
    return "".join(parts)


def _marker(marker_id: str, colour: str) -> str:
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,1 L10,5 L0,9 z" fill="{colour}"/></marker>'
    )


def _edge_label(item: Item, e: Edge, colour: str, p: str) -> str:
    x, y = item.x, item.y
    text_colour = BACK_COLOUR if colour == BACK_COLOUR else TEXT_COLOUR
    return (
        f'<g class="{p}-label"{_data(e)} aria-hidden="true">{_title(e.title)}'
        f'<rect x="{fmt(item.left)}" y="{fmt(item.top + 1)}" width="{fmt(item.width)}" '
        f'height="{fmt(item.height - 2)}" rx="4" fill="#ffffff" fill-opacity="0.94" stroke="{colour}" '
        f'stroke-opacity="0.35"/>'
        f'<text x="{fmt(x)}" y="{fmt(y - 2)}" text-anchor="middle" font-size="{LABEL_FONT}" '
        f'fill="{text_colour}">{escape(e.label)}</text>'
        f'<text x="{fmt(x)}" y="{fmt(y + 12)}" text-anchor="middle" font-size="{SUBLABEL_FONT}" '
        f'fill="{EDGE_COLOUR}" font-weight="bold">{escape(e.sublabel)}</text></g>'
    )


def _node(item: Item, node: Node, p: str) -> str:
    classes = _attr(" ".join(f"{p}-{c}" for c in node.classes))
    data = "".join(f' data-{_attr(k)}="{_attr(v)}"' for k, v in (*node.data, ("node", node.key)))
    rx = item.height / 2 if node.pill else 6
    stroke = ""
    if node.stroke is not None:
        stroke = f' stroke="{_attr(node.stroke)}" stroke-width="{1.6 if node.double else 1.2}"'
    parts = [
        f'<g class="{classes}"{data}>{_title(node.title)}',
        f'<rect x="{fmt(item.left)}" y="{fmt(item.top)}" width="{fmt(item.width)}" height="{fmt(item.height)}" '
        f'rx="{fmt(rx)}" fill="{_attr(node.fill)}"{stroke}/>',
    ]
    if node.double:
        parts.append(
            f'<rect x="{fmt(item.left + 3)}" y="{fmt(item.top + 3)}" width="{fmt(item.width - 6)}" '
            f'height="{fmt(item.height - 6)}" rx="4" fill="none" stroke="{_attr(node.stroke or TEXT_COLOUR)}" '
            f'stroke-width="1"/>'
        )
    weight = ' font-weight="bold"' if node.bold else ""
    parts.append(
        f'<text x="{fmt(item.x)}" y="{fmt(item.y + NODE_FONT * 0.36)}" text-anchor="middle" '
        f'font-size="{NODE_FONT}" fill="{_attr(node.text_colour)}"{weight}>{escape(node.label)}</text></g>'
    )
    return "".join(parts)
