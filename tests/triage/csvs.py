"""Small hand-written CSVs for the command tests: three clearly different topics."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

TRAIN: list[tuple[str, str, str]] = [
    ("学校食堂饭菜不卫生", "孩子在学校食堂吃饭后肚子疼，希望教育局检查学校食堂。", "教育文体"),
    ("小学入学报名问题", "我家孩子今年上小学，学校说户口不在学区不能报名入学。", "教育文体"),
    ("中学教师违规补课", "某中学老师周末组织学生有偿补课，学生家长负担很重。", "教育文体"),
    ("幼儿园收费过高", "幼儿园每学期收费上涨，家长希望教育部门核查收费标准。", "教育文体"),
    ("学校操场开放时间", "学校操场周末不对外开放，希望学校安排开放时间让学生锻炼。", "教育文体"),
    ("高中学生课业负担重", "高中学校晚自习到十一点，学生睡眠不足，请教育局规范作息。", "教育文体"),
    ("公司拖欠工资三个月", "我在建筑公司打工，老板拖欠工资三个月不发，请劳动监察帮忙。", "劳动和社会保障"),
    ("社保缴费年限问题", "单位没有给我缴纳社保，养老保险缴费年限不够，怎么补缴社保。", "劳动和社会保障"),
    ("工伤认定迟迟不办", "工作时受伤，公司不给申请工伤认定，医疗费用自己垫付。", "劳动和社会保障"),
    ("失业保险金领取", "被公司辞退后去领失业保险金，社保窗口说材料不全。", "劳动和社会保障"),
    ("加班不给加班费", "公司每天要求加班到晚上十点，不支付加班工资，也不签劳动合同。", "劳动和社会保障"),
    ("退休养老金计算", "退休后养老金比同事少很多，社保局的计算方法是否有误。", "劳动和社会保障"),
    ("工厂排放废气刺鼻", "附近化工厂晚上偷排废气，气味刺鼻，请环保部门查处污染。", "环境保护"),
    ("河道污水直排", "小区旁边河道有污水直排，河水发黑发臭，请环保局治理污染。", "环境保护"),
    ("工地噪音扰民", "工地夜间施工噪音很大，影响居民休息，请环保部门处理噪声污染。", "环境保护"),
    ("垃圾焚烧冒黑烟", "村里有人焚烧垃圾冒黑烟，空气污染严重，请环保部门制止。", "环境保护"),
    ("养猪场污染水源", "养猪场粪便直接排进水塘，污染水源，臭气熏天，请环保局处理。", "环境保护"),
    ("餐馆油烟扰民", "楼下餐馆油烟直排，没有油烟净化设备，空气污染，请环保部门检查。", "环境保护"),
]

TEST: list[tuple[str, str, str]] = [
    ("t3", "化工厂排放污水", "化工厂把污水排进河道，河水发臭，请环保部门查处污染。"),
    ("t1", "学校补课收费", "学校老师组织学生补课并收费，请教育局查处。"),
    ("t2", "老板拖欠工资", "公司老板拖欠我们工资，也不缴社保，请劳动监察部门帮忙。"),
]


def write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def train_csv(directory: Path) -> Path:
    rows = [(str(i), title, body, label) for i, (title, body, label) in enumerate(TRAIN, start=1)]
    return write(directory / "train.csv", ("id", "title", "body", "label"), rows)
