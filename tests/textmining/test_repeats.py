from __future__ import annotations

import datetime as dt

import pytest

from xinfang.textmining.places import places
from xinfang.textmining.repeats import Record, RepeatIndex, similarity

ORIGINAL = "阳光花园小区的物业公司乱收停车费，每月每车多收两百元，业主多次反映没有结果，请有关部门依法查处。"
REWORDED = "阳光花园物业乱收停车费!每月每车多收200元。业主多次反映都没结果,请相关部门查处"
UNRELATED = "市第三中学的食堂饭菜价格太高，学生吃不饱，家长希望教育局管一管。"


@pytest.fixture
def index() -> RepeatIndex:
    index = RepeatIndex()
    index.add(Record("a", ORIGINAL, "person-1", dt.date(2024, 3, 1)))
    index.add(Record("b", UNRELATED, "person-2", dt.date(2024, 3, 2)))
    index.add(Record("c", "家门口的路灯坏了三个月没人修。", "person-3", dt.date(2024, 3, 3)))
    return index


def test_a_reworded_copy_finds_the_original_with_its_reasons(index: RepeatIndex) -> None:
    hits = index.query(REWORDED, date=dt.date(2024, 3, 11))
    assert [h.id for h in hits] == ["a"]
    assert hits[0].similarity >= 0.6
    assert not hits[0].same_person
    assert "涉及相同地点：阳光花园" in hits[0].reasons
    assert "相隔 10 日" in hits[0].reasons


def test_an_unrelated_text_finds_nothing(index: RepeatIndex) -> None:
    assert index.query("高速公路收费站排队太长，节假日堵车严重，建议增开通道。") == []


def test_reordered_sentences_are_still_similar() -> None:
    first = "小区门口垃圾成堆。环卫工人一周才来一次。气味很大。"
    second = "气味很大。环卫工人一周才来一次。小区门口垃圾成堆。"
    assert similarity(first, second) >= 0.9
    assert similarity(first, UNRELATED) < 0.4


def test_an_earlier_petition_of_the_same_person_is_shown_with_a_lower_bar(index: RepeatIndex) -> None:
    shorter = "阳光花园物业乱收停车费"
    assert index.query(shorter) == []  # another person's short text is not a repeat
    hits = index.query(shorter, person_key="person-1")
    assert [h.id for h in hits] == ["a"]
    assert hits[0].same_person
    assert hits[0].reasons[0] == "同一信访人"


def test_the_window_leaves_out_old_petitions(index: RepeatIndex) -> None:
    assert index.query(REWORDED, date=dt.date(2024, 6, 1), window_days=30) == []
    assert [h.id for h in index.query(REWORDED, date=dt.date(2024, 3, 20), window_days=30)] == ["a"]


def test_the_query_can_leave_out_itself_and_keeps_k(index: RepeatIndex) -> None:
    assert index.query(ORIGINAL, exclude="a") == []
    index.add(Record("d", ORIGINAL + "再次反映。"))
    index.add(Record("e", REWORDED))
    assert [h.id for h in index.query(ORIGINAL, k=2)] == ["a", "d"]


def test_an_id_is_indexed_once(index: RepeatIndex) -> None:
    with pytest.raises(ValueError, match="重复的编号"):
        index.add(Record("a", "别的内容"))


def test_place_names_are_found_without_leading_words() -> None:
    assert places("我们小区阳光花园旁边的李家村、红星中学") == {"阳光花园", "李家村", "红星中学"}
    assert places("我们小区停车难") == set()


def test_many_candidates_are_cut_to_the_closest_by_estimated_jaccard(monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang.textmining import repeats

    monkeypatch.setattr(repeats, "MAX_RERANK", 2)
    base = "小区门口的道路坑洼不平，下雨天积水严重，居民出行非常不便，请求有关部门尽快修复"
    index = repeats.RepeatIndex()
    for i, tail in enumerate(["一", "二", "三", "四", "五"]):
        index.add(repeats.Record(f"r{i}", base + tail * (i + 1)))
    index.add(repeats.Record("copy", base + "。"))
    found = index.query(base + "。", k=5)
    assert len(found) == 2 and found[0].id == "copy"
    assert [c.id for c in index.query(base + "。", k=5)] == [c.id for c in found]  # deterministic


def test_two_texts_share_a_band_key_exactly_when_the_index_proposes_one_for_the_other() -> None:
    """The database's repeat keys must find what the in-memory LSH finds: the same candidates, no fewer."""
    from xinfang.textmining.repeats import _minhash, band_keys

    texts = {"a": ORIGINAL, "b": UNRELATED, "c": "家门口的路灯坏了三个月没人修。", "r": REWORDED}
    texts["t"] = ORIGINAL[:30]  # a truncated copy
    texts["s"] = "阳光花园小区停车位被物业出租给外来车辆，业主没有地方停车。"  # the same place, another matter
    index = RepeatIndex()
    for key, text in texts.items():
        index.add(Record(key, text))
    keys = {key: set(band_keys(text)) for key, text in texts.items()}
    assert all(len(k) == 28 for k in keys.values())  # 28 bands, no two alike
    for left, text in texts.items():
        proposed = set(index.lsh.query(_minhash(text))) - {left}
        sharing = {right for right in texts if right != left and keys[left] & keys[right]}
        assert sharing == proposed
    # The copies share more keys with the original than a text about the same place does: the order of candidates.
    shared = {right: len(keys["a"] & keys[right]) for right in texts if right != "a"}
    assert min(shared["r"], shared["t"]) > shared["s"] and shared["b"] == shared["c"] == 0
    assert band_keys("") == [] and band_keys("！？。") == []
