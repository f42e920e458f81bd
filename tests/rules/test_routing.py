"""The routing table (内容分类 × 地区 → 主管部门) as data: cited, complete for the labelled categories, strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinfang.rules.errors import RuleFileError
from xinfang.rules.routing import ROUTING_FILE, default_routing, load_routing
from xinfang.rules.taxonomy import default_taxonomy

LAW = Path(__file__).resolve().parents[3] / "shared" / "reference" / "law" / "信访工作条例-2022.md"
# The seven top-level classes of the labelled messages the classifier is trained on (bench/textmining.md).
TRAINED = ("城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输")


def test_every_trained_category_has_a_row_and_every_row_names_a_category_of_the_taxonomy() -> None:
    table = default_routing()
    taxonomy = default_taxonomy()
    assert all(table.route(c, "990102") is not None for c in TRAINED)
    assert all(r.category in taxonomy.tree for r in table.routes)


@pytest.mark.skipif(not LAW.exists(), reason="the shared law texts are not on this machine")
def test_every_quoted_basis_is_in_the_regulation_word_for_word() -> None:
    text = LAW.read_text("utf-8")
    for route in default_routing().routes:
        assert route.basis.instrument.startswith("信访工作条例")
        assert route.basis.quote in text, route


def test_a_sub_category_routes_by_its_top_level_and_the_most_specific_region_wins(tmp_path: Path) -> None:
    table = default_routing()
    route = table.route("城乡建设/安全生产/事故处理", "330102")
    assert route is not None and route.duty == "住房和城乡建设" and route.organ_kind == "functional"
    local = ROUTING_FILE.read_text("utf-8") + (
        "- category: 城乡建设\n  region: '3301'\n  organ_kind: functional\n  duty: 综合行政执法\n"
    )
    path = tmp_path / "routing.yaml"
    path.write_text(local, "utf-8")
    custom = load_routing(path)
    assert custom.route("城乡建设", "330102").duty == "综合行政执法"  # type: ignore[union-attr]
    assert custom.route("城乡建设", "990102").duty == "住房和城乡建设"  # type: ignore[union-attr]
    assert custom.route("党务政务", "990102") is None


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("- category: 城乡建设\n  region: '*'\n  organ_kind: functional\n", "duty"),
        ("- category: 城乡建设\n  region: '*'\n  organ_kind: functional\n  duty: 住房和城乡建设\n", "重复"),
    ],
)
def test_a_bad_row_is_refused_naming_the_file_and_the_row(tmp_path: Path, row: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(ROUTING_FILE.read_text("utf-8") + row, "utf-8")
    with pytest.raises(RuleFileError) as refused:
        load_routing(path)
    assert refused.value.file == "bad.yaml" and refused.value.entry.startswith("第") and words in str(refused.value)


def test_a_row_without_a_basis_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "uncited.yaml"
    row = "- {category: 城乡建设, region: '*', organ_kind: functional, duty: 住建}"
    path.write_text(f"version: 1\nrows:\n{row}\n", "utf-8")
    with pytest.raises(RuleFileError, match="依据"):
        load_routing(path)
