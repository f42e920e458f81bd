"""Hand-written messages (not from the shared data), five per class."""

from __future__ import annotations

TRAINING = {
    "城乡建设": [
        "我们小区的物业公司乱收停车费，业主意见很大",
        "小区电梯经常坏，物业一直不修",
        "楼下违章建筑占用消防通道，请城管处理",
        "小区供水水压太低，高层住户用不上水",
        "开发商延期交房两年，购房者无法入住",
    ],
    "教育文体": [
        "学校强制学生参加收费补课",
        "孩子入学难，学区划分不合理",
        "幼儿园收费太高，请教育局核查",
        "老师体罚学生，家长要求学校处理",
        "中学食堂饭菜差，学生家长投诉学校",
    ],
    "劳动和社会保障": [
        "公司拖欠工资半年，工人讨薪无门",
        "单位不给员工缴纳社保",
        "退休养老金迟迟没有发放",
        "工伤认定拖了一年还没有结果",
        "老板不签劳动合同，辞退员工不给补偿",
    ],
    "交通运输": [
        "公交车班次太少，等车要一个小时",
        "出租车拒载还绕路多收费",
        "路口没有红绿灯，车辆乱闯很危险",
        "高速公路收费站排队太长",
        "道路坑洼不平，车辆通行困难",
    ],
}


def pairs() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, items in TRAINING.items():
        texts.extend(items)
        labels.extend([label] * len(items))
    return texts, labels
