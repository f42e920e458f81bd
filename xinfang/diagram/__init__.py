"""Layered drawings of directed graphs as SVG: nodes, edges and labels in, a layout and an SVG string out.

Knows nothing about petitions or Django (a test keeps it so): the roadmap in ``xinfang.lifecycle.roadmap``
turns the transition table into nodes and edges and hands them here.
"""

from .graph import Edge, Node
from .layout import Chain, Item, Layout, layout, text_width
from .svg import render_svg

__all__ = ["Chain", "Edge", "Item", "Layout", "Node", "layout", "render_svg", "text_width"]
