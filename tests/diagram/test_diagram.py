"""The diagram package judged by what it draws: boxes apart, lines from box to box, layers down the edges."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from xinfang.diagram import Edge, Node, layout, render_svg

from .drawing import NS, Drawing, read

ROOT = Path(__file__).resolve().parent.parent.parent


def node(key: str, label: str = "") -> Node:
    return Node(key, label or f"节点{key}")


# A DAG with a long edge (a → d skips two layers) and an unlabelled edge.
DAG_NODES = [node(k) for k in "abcde"]
DAG_EDGES = [
    Edge("a", "b", "甲到乙", "E1"),
    Edge("b", "c", "乙到丙", "E2"),
    Edge("c", "d", "丙到丁", "E3"),
    Edge("a", "d", "直达", "E4"),
    Edge("a", "c", "跳过一层", "E5"),
    Edge("b", "e"),
    Edge("e", "d", "戊到丁", "E7"),
]
# A graph with a cycle (a → c → a), an edge forced back between two boxes of one layer (b → a), a self loop.
CYCLIC_NODES = [node(k) for k in "rabc"]
CYCLIC_EDGES = [
    Edge("r", "a", "开始", "C1"),
    Edge("r", "b", "另起", "C2"),
    Edge("b", "a", "退回", "C3", back=True),
    Edge("a", "c", "向前", "C4"),
    Edge("c", "a", "重做", "C5"),
    Edge("c", "c", "自环", "C6"),
]
GRAPHS = {"dag": (DAG_NODES, DAG_EDGES), "cyclic": (CYCLIC_NODES, CYCLIC_EDGES)}


def draw(nodes: list[Node], edges: list[Edge]) -> Drawing:
    return read(render_svg(layout(nodes, edges), title="测试图", description="用于测试"))


@pytest.mark.parametrize("name", GRAPHS)
def test_no_two_boxes_or_labels_overlap_and_all_fit_the_canvas(name: str) -> None:
    drawing = draw(*GRAPHS[name])
    boxes = [*drawing.nodes.values(), *drawing.labels]
    assert len(drawing.nodes) == len(GRAPHS[name][0])
    for one, other in itertools.combinations(boxes, 2):
        assert not one.overlaps(other), (one, other)
    width, height = float(drawing.root.get("width") or 0), float(drawing.root.get("height") or 0)
    for b in boxes:
        assert b.left >= 0 and b.right <= width and b.top >= 0 and b.bottom <= height


@pytest.mark.parametrize("name", GRAPHS)
def test_every_line_starts_at_its_source_and_ends_at_its_target(name: str) -> None:
    drawing = draw(*GRAPHS[name])
    edges = GRAPHS[name][1]
    assert sorted((line.source, line.target) for line in drawing.lines) == sorted((e.source, e.target) for e in edges)
    for line in drawing.lines:
        assert drawing.nodes[line.source].touches(*line.start), line
        assert drawing.nodes[line.target].touches(*line.end), line


def test_in_a_dag_every_edge_goes_down_and_layers_follow_the_longest_path() -> None:
    lay = layout(DAG_NODES, DAG_EDGES)
    drawing = draw(DAG_NODES, DAG_EDGES)
    for line in drawing.lines:
        assert drawing.nodes[line.source].bottom < drawing.nodes[line.target].top, line
        assert not line.dashed and "dg-back" not in line.classes
    assert not any(chain.back for chain in lay.chains)
    rank = {k: item.rank for k, item in lay.items.items() if item.node is not None}
    # a → b → c → d is the longest path to d; e hangs under b
    assert rank["a"] < rank["b"] < rank["c"] < rank["d"]
    assert rank["b"] < rank["e"] < rank["d"]
    assert len({rank["c"], rank["e"]}) == 1  # both two steps from a


def test_cycles_are_broken_by_dashed_back_edges_and_forced_back_edges_stay_back() -> None:
    drawing = draw(CYCLIC_NODES, CYCLIC_EDGES)
    dashed = {(line.source, line.target) for line in drawing.lines if line.dashed}
    assert dashed == {("b", "a"), ("c", "a")}  # the forced one, and the one closing a → c → a
    assert len(drawing.labels) == len(CYCLIC_EDGES)  # the self loop's label too
    for line in drawing.lines:
        assert line.dashed == ("dg-back" in line.classes)
        if not line.dashed and line.source != line.target:
            assert drawing.nodes[line.source].bottom < drawing.nodes[line.target].top, line


def test_the_same_input_gives_the_same_drawing() -> None:
    first = render_svg(layout(DAG_NODES, DAG_EDGES), title="图", description="说明")
    copies = (
        [Node(n.key, n.label) for n in DAG_NODES],
        [Edge(e.source, e.target, e.label, e.sublabel) for e in DAG_EDGES],
    )
    assert render_svg(layout(*copies), title="图", description="说明") == first
    assert render_svg(layout(DAG_NODES, DAG_EDGES), title="图", description="说明") == first


def test_text_is_escaped_and_the_svg_is_well_formed() -> None:
    nasty = "<script>alert(\"x\")</script> & '引号'"
    nodes = [Node("a", nasty, title=nasty, data=(("note", nasty),)), node("b")]
    edges = [Edge("a", "b", nasty, nasty, title=nasty, data=(("note", nasty),))]
    svg = render_svg(layout(nodes, edges), title=nasty, description=nasty)
    assert "<script" not in svg
    drawing = read(svg)  # parses: well-formed XML
    texts = [t.text for t in drawing.root.iter(f"{NS}text")]
    assert texts.count(nasty) == 3  # the box, the label and its second line
    titles = [t.text for t in drawing.root.iter(f"{NS}title")]
    assert titles.count(nasty) == 4  # the drawing, the box, the line, the label
    assert drawing.root.find(f"{NS}desc") is not None and drawing.root.find(f"{NS}desc").text == nasty  # type: ignore[union-attr]
    assert {g.get("data-note") for g in drawing.root.iter(f"{NS}g") if g.get("data-note")} == {nasty}


def test_prefix_names_classes_ids_and_markers() -> None:
    svg = render_svg(layout(CYCLIC_NODES, CYCLIC_EDGES), title="图", description="说明", prefix="zz")
    drawing = read(svg, prefix="zz")
    assert drawing.root.get("class") == "zz-diagram" and drawing.root.get("aria-labelledby") == "zz-title zz-desc"
    markers = {m.get("id") for m in drawing.root.iter(f"{NS}marker")}
    assert markers == {"zz-arrow", "zz-arrow-back"}
    assert len(drawing.lines) == len(CYCLIC_EDGES) and "dg-" not in svg
    with pytest.raises(ValueError, match="plain name"):
        render_svg(layout(CYCLIC_NODES, CYCLIC_EDGES), title="图", description="说明", prefix='x" onload="y')


def test_edges_must_join_known_nodes_and_keys_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unknown"):
        layout([node("a")], [Edge("a", "x")])
    with pytest.raises(ValueError, match="unique"):
        layout([node("a"), node("a")], [])
    with pytest.raises(ValueError, match="reserved"):
        Node("a", "甲", kind="label")


def test_an_empty_graph_and_a_single_box_are_drawn() -> None:
    assert read(render_svg(layout([], []), title="空", description="空")).nodes == {}
    drawing = draw([node("a")], [])
    assert list(drawing.nodes) == ["a"] and drawing.lines == []


def test_diagram_package_imports_neither_django_nor_the_rest_of_the_project() -> None:
    code = (
        "import sys, xinfang.diagram as d; "
        "d.render_svg(d.layout([d.Node('a', 'A'), d.Node('b', 'B')], [d.Edge('a', 'b', 'x')]), title='t', "
        "description='d'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django' "
        "or (m.startswith('xinfang.') and not m.startswith('xinfang.diagram'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
