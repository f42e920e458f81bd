from __future__ import annotations

import pytest

from xinfang.rules.errors import RuleFileError
from xinfang.rules.taxonomy import Category, default_taxonomy, load_taxonomy

# The seven top-level labels of the shared labelled messages (shared/data/README.md).
DATA_LABELS = ["城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "环境保护", "卫生计生", "交通运输"]


def test_the_shipped_taxonomy_has_three_levels_and_states_its_source() -> None:
    taxonomy = default_taxonomy()
    assert len(taxonomy.level1()) == 15  # shared/data/README.md: 15 top-level classes
    assert len(list(taxonomy.leaves())) == 517  # and 517 rows
    assert "泰迪杯" in taxonomy.source
    assert all(label in taxonomy for label in DATA_LABELS)


def test_a_category_is_found_by_its_key() -> None:
    taxonomy = default_taxonomy()
    category = taxonomy.get("城乡建设/安全生产/事故处理")
    assert category == Category("城乡建设", "安全生产", "事故处理")
    assert category.depth == 3
    assert "安全生产" in taxonomy.level2("城乡建设")
    assert "城乡建设/安全生产/不存在" not in taxonomy
    with pytest.raises(KeyError, match="没有"):
        taxonomy.get("不存在")


def _write(tmp_path, body: str):
    path = tmp_path / "content.yaml"
    path.write_text("title: 测试分类\nsource: 手写\nversion: 1\n" + body, "utf-8")
    return path


def test_a_level3_listed_twice_is_refused_naming_the_entry(tmp_path) -> None:
    path = _write(tmp_path, "categories:\n- name: 甲\n  children:\n  - name: 乙\n    children: [丙, 丙]\n")
    with pytest.raises(RuleFileError, match=r"content\.yaml.*甲/乙.*三级分类重复：丙"):
        load_taxonomy(path)


def test_an_empty_name_is_refused(tmp_path) -> None:
    path = _write(tmp_path, "categories:\n- name: 甲\n  children:\n  - name: ''\n    children: [丙]\n")
    with pytest.raises(RuleFileError, match="分类名称为空"):
        load_taxonomy(path)


def test_a_small_valid_file_loads(tmp_path) -> None:
    path = _write(tmp_path, "categories:\n- name: 甲\n  children:\n  - name: 乙\n    children: [丙, 丁]\n")
    taxonomy = load_taxonomy(path)
    assert taxonomy.level3("甲", "乙") == ["丙", "丁"]
