"""Reading a drawing back from its SVG: boxes, the points where lines start and end, and which lines are dashed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
TOLERANCE = 0.11  # coordinates are written with one decimal


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right - TOLERANCE
            and other.left < self.right - TOLERANCE
            and self.top < other.bottom - TOLERANCE
            and other.top < self.bottom - TOLERANCE
        )

    def touches(self, x: float, y: float) -> bool:
        """The point lies on the border of the box."""
        inside_x = self.left - TOLERANCE <= x <= self.right + TOLERANCE
        inside_y = self.top - TOLERANCE <= y <= self.bottom + TOLERANCE
        on_horizontal = abs(y - self.top) <= TOLERANCE or abs(y - self.bottom) <= TOLERANCE
        on_vertical = abs(x - self.left) <= TOLERANCE or abs(x - self.right) <= TOLERANCE
        return (inside_x and on_horizontal) or (inside_y and on_vertical)


@dataclass(frozen=True)
class Line:
    source: str
    target: str
    start: tuple[float, float]
    end: tuple[float, float]
    dashed: bool
    classes: tuple[str, ...]


@dataclass(frozen=True)
class Drawing:
    root: ET.Element
    nodes: dict[str, Box]
    labels: list[Box]
    lines: list[Line]


def classes(element: ET.Element) -> tuple[str, ...]:
    return tuple((element.get("class") or "").split())


def box(rect: ET.Element) -> Box:
    return Box(*(float(rect.get(a) or "nan") for a in ("x", "y", "width", "height")))


def read(svg: str, prefix: str = "dg") -> Drawing:
    root = ET.fromstring(svg)
    nodes: dict[str, Box] = {}
    labels: list[Box] = []
    lines: list[Line] = []
    for group in root.iter(f"{NS}g"):
        rect = group.find(f"{NS}rect")
        if f"{prefix}-label" in classes(group):
            assert rect is not None
            labels.append(box(rect))
        elif f"{prefix}-edge" in classes(group):
            drawn = group.find(f"{NS}path")
            assert drawn is not None
            numbers = [float(n) for n in NUMBER.findall(drawn.get("d") or "")]
            lines.append(
                Line(
                    group.get("data-from") or "",
                    group.get("data-to") or "",
                    (numbers[0], numbers[1]),
                    (numbers[-2], numbers[-1]),
                    drawn.get("stroke-dasharray") is not None,
                    classes(group),
                )
            )
        elif group.get("data-node") is not None:
            assert rect is not None
            nodes[group.get("data-node") or ""] = box(rect)
    return Drawing(root, nodes, labels, lines)
