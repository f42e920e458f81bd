from __future__ import annotations

import json

import pytest

from xinfang.textmining import Message, ModelError, TextClassifier, fingerprint
from xinfang.textmining.organs import OrganSuggester

from .examples import pairs


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    texts, labels = pairs()
    return TextClassifier.train(texts, labels, min_df=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("物业公司乱收费，小区业主要求退还停车费", "城乡建设"),
        ("学校组织收费补课，家长不满", "教育文体"),
        ("公司拖欠农民工工资不发", "劳动和社会保障"),
        ("公交车太少，等车时间太长", "交通运输"),
    ],
)
def test_an_obvious_new_message_gets_its_class_first(model: TextClassifier, text: str, expected: str) -> None:
    assert model.suggest(text)[0].label == expected


def test_suggestions_are_ranked_confidences(model: TextClassifier) -> None:
    suggestions = model.suggest("小区物业不修电梯", k=4)
    assert len(suggestions) == 4
    assert len({s.label for s in suggestions}) == 4
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert sum(scores) == pytest.approx(1, abs=1e-3)


def test_a_title_and_body_message_is_accepted(model: TextClassifier) -> None:
    assert model.suggest(Message("讨薪", "单位拖欠工资三个月，也不缴社保"))[0].label == "劳动和社会保障"


def test_same_data_gives_the_same_model_and_predictions(model: TextClassifier) -> None:
    texts, labels = pairs()
    again = TextClassifier.train(texts, labels, min_df=1)
    assert again.meta["model_hash"] == model.meta["model_hash"]
    assert again.meta["data_fingerprint"] == model.meta["data_fingerprint"]
    probe = ["道路坑洼", "养老金", "补课费", "电梯坏了"]
    assert again.suggest(probe[0]) == model.suggest(probe[0])
    assert again.predict(probe) == model.predict(probe)


def test_other_data_gives_another_fingerprint_and_model() -> None:
    texts, labels = pairs()
    changed = TextClassifier.train([*texts[:-1], "马路上坑太多"], labels, min_df=1)
    base = TextClassifier.train(texts, labels, min_df=1)
    assert changed.meta["data_fingerprint"] != base.meta["data_fingerprint"]
    assert changed.meta["model_hash"] != base.meta["model_hash"]


def test_fingerprint_depends_on_labels_too() -> None:
    messages = [Message("标题", "正文")]
    assert fingerprint(messages, ["甲"]) != fingerprint(messages, ["乙"])


def test_saved_model_loads_with_its_version_and_predicts_the_same(model: TextClassifier, tmp_path) -> None:
    model.save(tmp_path / "m")
    loaded = TextClassifier.load(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text("utf-8"))
    assert meta["format"] == 1
    assert meta["n_train"] == 20
    assert meta["counts"]["交通运输"] == 5
    assert loaded.predict(["出租车拒载", "社保断缴"]) == model.predict(["出租车拒载", "社保断缴"])


def test_missing_or_altered_model_is_refused(model: TextClassifier, tmp_path) -> None:
    with pytest.raises(ModelError, match="不存在或不完整"):
        TextClassifier.load(tmp_path / "none")
    model.save(tmp_path / "m")
    meta_file = tmp_path / "m" / "meta.json"
    meta = json.loads(meta_file.read_text("utf-8"))
    meta["model_hash"] = "0" * 64
    meta_file.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelError, match="摘要"):
        TextClassifier.load(tmp_path / "m")


def test_training_needs_two_classes() -> None:
    with pytest.raises(ValueError, match="两个不同的类别"):
        TextClassifier.train(["甲乙丙", "丁戊己"], ["一", "一"])


def test_organ_suggester_names_the_organ_seen_for_such_matters(tmp_path) -> None:
    texts, labels = pairs()
    organ_of = {"城乡建设": "住建局", "教育文体": "教育局", "劳动和社会保障": "人社局", "交通运输": "交通局"}
    suggester = OrganSuggester.train(texts, [organ_of[x] for x in labels])
    assert suggester.suggest("单位不缴社保还拖欠工资")[0].label == "人社局"
    suggester.save(tmp_path / "o")
    assert OrganSuggester.load(tmp_path / "o").suggest("出租车绕路")[0].label == "交通局"
