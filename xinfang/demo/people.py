"""Fictional petitioners: names, addresses in the demo city, telephone and identity numbers.

Identity numbers use the fictional region codes 9901xx, so they can never belong to a real person;
they carry a correct GB 11643 check digit so that registration accepts them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏"
    "钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
_TWO = (
    "建国秀英桂兰玉梅志强海峰春燕丽娟文斌明辉小红淑珍凤英永刚红梅德华金凤兰芳"
    "国平卫红建军学文晓东俊杰思远雨涵子轩欣怡振华家豪宏伟秋菊福生长顺爱民"
)
GIVEN = tuple(_TWO[i : i + 2] for i in range(0, len(_TWO), 2)) + tuple("静敏勇磊芳军霞涛娜斌")
ROADS = ("人民路", "建设路", "解放路", "文化路", "新华街", "滨河路", "朝阳路", "光明街", "育才路", "工业大道")
ESTATES = ("锦绣花园", "阳光嘉园", "翠湖名苑", "金色家园", "御景湾", "丽水华庭", "和平新村", "滨江一号")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def full_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def masked_name(rng: random.Random) -> str:
    """The 王某某 style used when a petitioner gives only a surname."""
    return rng.choice(SURNAMES) + rng.choice(("某", "某某"))


def mobile(rng: random.Random) -> str:
    return rng.choice(("139", "138", "137", "186", "152", "158", "133", "177")) + f"{rng.randrange(10**8):08d}"


def resident_id(rng: random.Random, region: str) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 52))
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    check = ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
    return body + check


@dataclass(frozen=True)
class Place:
    county: str  # 东城区
    county_key: str  # dc
    code: str  # 990102
    town: str  # 东关街道
    town_key: str  # t1
    village: str  # 幸福路社区
    village_key: str  # v1
    road: str
    estate: str

    def address(self, rng: random.Random) -> str:
        if self.village.endswith("村"):
            return f"西地市{self.county}{self.town}{self.village}{rng.randint(1, 9)}组{rng.randint(1, 80)}号"
        building, unit, room = rng.randint(1, 24), rng.randint(1, 4), rng.randint(1, 18) * 100 + rng.randint(1, 4)
        return f"西地市{self.county}{self.town}{self.village}{self.estate}{building}栋{unit}单元{room}室"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    address: str
    contact: str


def person(rng: random.Random, place: Place, *, with_id: bool) -> Person:
    name = full_name(rng) if rng.random() < 0.8 else masked_name(rng)
    return Person(
        name=name,
        id_number=resident_id(rng, place.code) if with_id else "",
        address=place.address(rng),
        contact=mobile(rng),
    )
