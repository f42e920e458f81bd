"""Grid management in the demo: one area per community or village, the town's registrar as its grid worker,
and disputes reported over the last two months, each ending one of the three ways (or still open), through
`xinfang.grid.services`."""

from __future__ import annotations

import datetime as dt
import random

from xinfang.grid import services
from xinfang.grid.models import Area, Outcome
from xinfang.org.models import Role
from xinfang.rules.disputes import dispute_kinds

from .city import COUNTIES, DemoCity

STORIES = {
    "neighbourhood": ("楼上住户装修噪声扰民，双方多次争吵。", "张某某、李某某"),
    "relationship": ("恋爱期间借款的归还发生争执，女方家属到男方家中理论。", "周某某、吴某某"),
    "land_compensation": ("对承包地征收补偿款的分配有异议，要求公开分配方案。", "刘某某、村民委员会"),
    "agriculture": ("灌溉渠道清淤后两组村民用水顺序发生争执。", "一组村民、二组村民"),
    "labour_arbitration": ("养殖场拖欠三名务工人员两个月工资。", "赵某某等三人、某养殖场"),
    "marriage_family": ("赡养老人费用分摊，兄弟三人意见不一。", "陈某某、陈某甲、陈某乙"),
    "land_forest_rights": ("两户对山林界址有争议，各自砍伐树木。", "杨某某、孙某某"),
    "homestead": ("宅基地翻建占用公共通道一米，邻户反对。", "马某某、朱某某"),
    "medical": ("村卫生室输液后过敏，家属要求赔偿。", "胡某某、村卫生室"),
    "traffic": ("农用三轮车与电动车相撞，赔偿数额谈不拢。", "郭某某、何某某"),
    "environment": ("养猪场粪污流入鱼塘，鱼塘承包户要求赔偿。", "林某某、某养猪场"),
}
NOTES = {
    Outcome.RESOLVED: "网格员当场讲解有关规定，双方各让一步，当场化解。",
    Outcome.MEDIATED: "村（居）人民调解小组组织双方调解，达成口头协议，网格员跟踪履行。",
}


def seed_grid(city: DemoCity, now: dt.datetime, rng: random.Random) -> int:
    """Areas, workers and reports; returns the number of reports."""
    areas: list[tuple[Area, str]] = []
    for county in COUNTIES:
        for town in county.towns:
            organ = city[f"{county.key}.{town.key}"]
            worker = city.who(organ, Role.REGISTRAR)
            for village, _ in town.villages:
                area = services.add_area(f"{town.name}{village}网格", organ, f"{town.name}{village}全域")
                services.add_worker(area, worker, (now - dt.timedelta(days=365)).date())
                areas.append((area, f"{organ.name.split('区')[-1].split('县')[-1]}{village}"))
    kinds = [k.id for k in dispute_kinds().kinds]
    count = 0
    for n in range(40):
        area, place = areas[n % len(areas)]
        worker = area.workers.get().staff
        kind = kinds[n % len(kinds)] if n < len(kinds) else rng.choice(kinds)
        description, parties = STORIES[kind]
        at = (now - dt.timedelta(days=rng.randint(1, 60))).replace(hour=rng.randint(8, 17), minute=0)
        report = services.report(worker, area, kind=kind, place=place, parties=parties, description=description, now=at)
        count += 1
        later = at + dt.timedelta(hours=rng.randint(1, 30))
        if later > now:
            continue
        roll = rng.random()
        if roll < 0.45:
            services.conclude(report, worker, outcome=Outcome.RESOLVED, note=NOTES[Outcome.RESOLVED], now=later)
        elif roll < 0.8:
            services.conclude(report, worker, outcome=Outcome.MEDIATED, note=NOTES[Outcome.MEDIATED], now=later)
        elif roll < 0.9:
            first = parties.split("、")[0]
            services.to_petition(
                report,
                worker,
                name=first,
                address=f"西地市{area.description.removesuffix('全域')}",
                request=description,
                facts=services.prefill(report)["facts"],
                now=later,
            )
    return count
