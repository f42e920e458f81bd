"""The direction of dependencies between the packages of `xinfang` (docs/architecture.md), enforced.

Every import in every module of `xinfang/` is read with `ast` (imports inside functions count; imports
under ``if TYPE_CHECKING:`` do not, they never run). A module may import its own package, or a package of
a lower layer in `LAYERS`; anything else fails, and so does any import circle between modules.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "xinfang"

# Lower layers first. A module may import from a lower layer, never from its own layer's other packages or
# from above. The longest matching prefix decides (so `xinfang.intake.services` sits above the lifecycle
# while the rest of `xinfang.intake` sits below it).
LAYERS: tuple[tuple[str, ...], ...] = (
    # Leaves: import nothing from the project.
    ("xinfang.rules", "xinfang.diagram", "xinfang.crypto", "xinfang.textmining", "xinfang.security"),
    ("xinfang.org",),  # organs, staff, roles; org.access: the staff-page decorator every app uses
    ("xinfang.audit",),  # the event chain; knows only the organ of an event
    ("xinfang.deadlines",),  # the holiday calendar; computes a date for a rule, knows no case
    ("xinfang.intake",),  # petitions and matters as received, their digest and selectors
    ("xinfang.agents.models",),  # petition agents' mandates: the visibility rule reads them
    ("xinfang.lifecycle",),  # the transition table and the engine; reads intake's records
    # Registering a petition opens its case (`engine.start_case`): the service sits above the lifecycle.
    ("xinfang.intake.services", "xinfang.documents", "xinfang.accounts", "xinfang.triage"),
    # warning drafts its 预警提示函, supervision its 督办函 and 建议书, through documents; mediation performs its
    # steps through the engine and drafts its agreements through documents; grid registers petitions through
    # intake.services.
    (
        "xinfang.portal",
        "xinfang.imports",
        "xinfang.warning",
        "xinfang.supervision",
        "xinfang.mediation",
        "xinfang.grid",
    ),
    ("xinfang.analytics", "xinfang.open311", "xinfang.agents"),  # agents issue the petitioner's code (portal)
    ("xinfang.leaders",),  # leader cases, receptions, the joint conference: drafts from analytics and warnings
    ("xinfang.workspace",),  # the staff pages: read and write through everything below
    ("xinfang.ops",),  # health and readiness, backup and restore: reads the database and the audit chain
    ("xinfang.demo", "xinfang.settings", "xinfang.urls", "xinfang.wsgi", "xinfang"),
)

# Packages (and modules) that must not import Django: pure code, tested without a database.
DJANGO_FREE = (
    "xinfang.rules",
    "xinfang.diagram",
    "xinfang.textmining",
    "xinfang.crypto.cipher",
    "xinfang.crypto.keys",
    "xinfang.crypto.blind",
)

# Imports against the direction that exist today in files of other owners, each with the change that
# removes it. The test fails when one of them is gone, so that the list only shrinks.
KNOWN: frozenset[tuple[str, str]] = frozenset()


# Import circles that exist today in files of other owners, each with the change that removes it.
KNOWN_CYCLES: tuple[list[str], ...] = ()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, skipping the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(name: str, source: str | None = None) -> set[str]:
    """The project modules (or packages) that module ``name`` imports."""
    path = MODULES[name]
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in MODULES else target)
    return {m for m in found if m == "xinfang" or m.startswith("xinfang.")}


def layer_of(name: str) -> tuple[int, str]:
    """(layer, the prefix that placed it) for module ``name``: the longest prefix in `LAYERS` wins."""
    best = (-1, "")
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            inside = name == prefix or (prefix != "xinfang" and name.startswith(prefix + "."))
            if inside and len(prefix) > len(best[1]):
                best = (rank, prefix)
    return best


def package_of(name: str) -> str:
    return ".".join(name.split(".")[:2])


def allowed(source: str, target: str) -> bool:
    """Inside one package: not upward (intake's records do not import intake.services). Across: downward only."""
    source_rank, target_rank = layer_of(source)[0], layer_of(target)[0]
    if package_of(source) == package_of(target):
        return target_rank <= source_rank
    return target_rank < source_rank


def violations(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The imports against the direction: (importer, imported)."""
    return {(source, target) for source, targets in graph.items() for target in targets if not allowed(source, target)}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                result.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def project_graph() -> dict[str, set[str]]:
    return {name: imports_of(name) - {name} for name in MODULES}


GRAPH = project_graph()


def test_every_module_has_a_layer() -> None:
    assert [name for name in MODULES if layer_of(name)[0] < 0] == []


def test_no_import_against_the_direction() -> None:
    found = violations(GRAPH)
    assert sorted(found - KNOWN) == []
    assert sorted(KNOWN - found) == [], "a known exception is gone: remove it from KNOWN"


def test_no_import_circle_between_modules() -> None:
    # A package's __init__ re-exporting its own modules is not a circle of code: drop package -> own submodule.
    graph = {
        source: {t for t in targets if not (MODULES[source].name == "__init__.py" and t.startswith(source + "."))}
        for source, targets in GRAPH.items()
    }
    found = cycles(graph)
    assert [c for c in found if c not in KNOWN_CYCLES] == []
    assert [c for c in KNOWN_CYCLES if c not in found] == [], "a known circle is gone: remove it from KNOWN_CYCLES"


@pytest.mark.parametrize("prefix", DJANGO_FREE)
def test_pure_packages_do_not_import_django(prefix: str) -> None:
    for name, path in MODULES.items():
        if name == prefix or name.startswith(prefix + "."):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not any(m == "django" or m.startswith("django.") for m in imported), name


# --- the checks themselves can fail ------------------------------------------------------------------------


def test_an_upward_import_is_a_violation() -> None:
    graph = {**GRAPH, "xinfang.lifecycle.engine": GRAPH["xinfang.lifecycle.engine"] | {"xinfang.documents.services"}}
    assert ("xinfang.lifecycle.engine", "xinfang.documents.services") in violations(graph)


def test_a_sideways_import_is_a_violation() -> None:
    graph = {**GRAPH, "xinfang.portal.views": GRAPH["xinfang.portal.views"] | {"xinfang.imports.models"}}
    assert ("xinfang.portal.views", "xinfang.imports.models") in violations(graph)


def test_a_function_level_import_counts() -> None:
    source = "def f():\n    from xinfang.workspace import views\n"
    assert "xinfang.workspace.views" in imports_of("xinfang.lifecycle.engine", source)


def test_an_import_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


# --- small files -------------------------------------------------------------------------------------------

LIMIT = 500
# Longer by nature: data written as code, read top to bottom.
DATA_LIKE = {
    "xinfang.lifecycle.table": "the transition table: one row per transition of legal-rules §18.2",
    "xinfang.demo.content.grievances": "the demo's stories of 申诉求决类 petitions, as data",
}
# Longer today, in files of other owners, to be split.
KNOWN_LONG: dict[str, str] = {}


def test_no_module_over_the_limit() -> None:
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    long = {name for name, lines in lengths.items() if lines > LIMIT}
    assert sorted(long - set(DATA_LIKE) - set(KNOWN_LONG)) == []
    assert sorted(set(KNOWN_LONG) - long) == [], "a known long module is short now: remove it from KNOWN_LONG"
