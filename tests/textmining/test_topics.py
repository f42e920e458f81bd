import datetime as dt

from xinfang.textmining.places import places
from xinfang.textmining.topics import Item, Params, TopicIndex

PARAMS = Params(window_days=7, baseline_days=28, min_persons=2, min_count=3, min_ratio=3.0)
DAY = dt.date(2024, 6, 30)


def test_the_noise_named_in_the_issue_is_gone() -> None:
    assert places("某某置业有限公司拖欠工资，有限公司不管") == {"某某置业公司"}
    assert places("我们的伊景园车位") == {"伊景园"}
    assert places("阳光花园和红星中学") == {"阳光花园", "红星中学"}


def test_two_names_written_together_also_give_the_joined_name() -> None:
    assert places("关于伊景园滨河苑捆绑销售车位") == {"伊景园", "滨河苑", "伊景园滨河苑"}


def _burst(people: list[str]) -> TopicIndex:
    index = TopicIndex()
    for n in range(20):  # a quiet month about other things
        index.add(Item(f"q{n}", f"p{n}", DAY - dt.timedelta(days=10 + n), f"反映第{n}号路灯不亮"))
    for n, person in enumerate(people):
        text = "伊景园滨河苑捆绑销售车位" if n % 2 else "投诉滨河苑强制购买车位"
        index.add(Item(f"b{n}", person, DAY - dt.timedelta(days=n), text))
    return index


def test_three_people_in_a_week_after_a_quiet_month_raise_one_alert_for_the_place() -> None:
    alerts = _burst(["甲", "乙", "丙"]).detect(DAY, PARAMS)
    assert [(a.topic, a.count, a.persons, a.baseline) for a in alerts] == [("滨河苑", 3, 3, 0)]
    assert alerts[0].ids == ("b2", "b1", "b0")
    assert alerts[0].ratio == 12.0  # 3 a week against 1 (empty baseline) in 28 days: (3/7)/(1/28)


def test_one_person_writing_five_times_raises_nothing() -> None:
    assert _burst(["甲"] * 5).detect(DAY, PARAMS) == []


def test_the_same_volume_as_the_baseline_raises_nothing() -> None:
    index = _burst(["甲", "乙", "丙"])
    for n in range(12):  # three a week over the four weeks before
        index.add(Item(f"old{n}", f"o{n}", DAY - dt.timedelta(days=8 + 2 * n), "滨河苑车位"))
    assert index.detect(DAY, PARAMS) == []


def test_a_day_sees_nothing_written_after_it() -> None:
    assert _burst(["甲", "乙", "丙"]).detect(DAY - dt.timedelta(days=3), PARAMS) == []


def test_petitions_naming_no_place_are_grouped_by_text_when_asked() -> None:
    index = TopicIndex()
    text = "请求有关部门尽快发放拖欠的二零二三年度种粮补贴资金"
    for n, person in enumerate(["甲", "乙", "丙"]):
        index.add(Item(f"c{n}", person, DAY - dt.timedelta(days=n), text + "。" * n))
    index.add(Item("other", "丁", DAY, "反映夜间施工噪音扰民"))
    assert index.detect(DAY, PARAMS) == []  # no place, no clustering asked
    clustered = Params(7, 28, 2, 3, 3.0, cluster_similarity=0.5)  # named by the first 16 characters
    (alert,) = index.detect(DAY, clustered)
    assert alert.topic == "相似诉求：请求有关部门尽快发放拖欠的二零二" and alert.ids == ("c2", "c1", "c0")
