"""A city-sized organ tree (region 9901xx, no regional profile) with staff, inserted in bulk.

One city government with its petition bureau and 30 departments; 12 counties, each with a government,
a bureau and 25 departments; 10 townships per county and 10 villages (communities) per township.
Ids are assigned here so that `Organ.path` can be written exactly as `Organ.save` computes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from xinfang.org.models import Level, Organ, OrganKind, Role, Staff

K = OrganKind
# (name, kind, weight of petitions received directly or by transfer)
CITY_DEPARTMENTS: list[tuple[str, str, float]] = [
    ("发展和改革委员会", K.FUNCTIONAL, 1),
    ("教育局", K.FUNCTIONAL, 3),
    ("科学技术局", K.FUNCTIONAL, 0.3),
    ("工业和信息化局", K.FUNCTIONAL, 0.6),
    ("民政局", K.FUNCTIONAL, 3),
    ("财政局", K.FUNCTIONAL, 1),
    ("人力资源和社会保障局", K.FUNCTIONAL, 8),
    ("自然资源和规划局", K.FUNCTIONAL, 7),
    ("生态环境局", K.FUNCTIONAL, 3),
    ("住房和城乡建设局", K.FUNCTIONAL, 10),
    ("交通运输局", K.FUNCTIONAL, 2),
    ("水利局", K.FUNCTIONAL, 1),
    ("农业农村局", K.FUNCTIONAL, 5),
    ("商务局", K.FUNCTIONAL, 0.5),
    ("文化和旅游局", K.FUNCTIONAL, 0.5),
    ("卫生健康委员会", K.FUNCTIONAL, 3),
    ("退役军人事务局", K.FUNCTIONAL, 2),
    ("应急管理局", K.FUNCTIONAL, 1),
    ("审计局", K.FUNCTIONAL, 0.3),
    ("市场监督管理局", K.FUNCTIONAL, 4),
    ("城市管理局", K.FUNCTIONAL, 4),
    ("医疗保障局", K.FUNCTIONAL, 2),
    ("国有资产监督管理委员会", K.FUNCTIONAL, 0.5),
    ("税务局", K.FUNCTIONAL, 1),
    ("中级人民法院", K.COURT, 3),
    ("人民检察院", K.PROCURATORATE, 1),
    ("公安局", K.PUBLIC_SECURITY, 6),
    ("司法局", K.JUSTICE, 1),
    ("纪委监委", K.DISCIPLINE, 2),
    ("人大常委会", K.PEOPLES_CONGRESS, 0.5),
]
# A county has the same departments less five.
COUNTY_SKIP = {"科学技术局", "商务局", "审计局", "国有资产监督管理委员会", "税务局"}
COUNTY_DEPARTMENTS = [d for d in CITY_DEPARTMENTS if d[0] not in COUNTY_SKIP]
COUNTIES = ["甲县", "乙县", "丙县", "丁县", "戊县", "己县", "庚县", "辛县", "壬县", "癸县", "东城区", "西城区"]
TOWNSHIPS_PER_COUNTY = 10
VILLAGES_PER_TOWNSHIP = 10
STAFF_ROLES = (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.HANDLER, Role.APPROVER, Role.LEADER)
ROLE_PREFERENCE = (*STAFF_ROLES, Role.SUPERVISOR, Role.ADMINISTRATOR, Role.ANALYST)


@dataclass(eq=False)
class Actor:
    """One staff member as the event log records them."""

    staff_id: int
    user_id: int
    label: str  # str(Staff): "姓名（机关）"
    organ_id: int


@dataclass(eq=False)
class Node:
    id: int
    name: str
    level: str
    kind: str
    region: str
    superior: Node | None
    path: str
    weight: float = 0.0  # share of petitions received at this organ
    staff: dict[str, Actor] = field(default_factory=dict)
    subordinates: list[Node] = field(default_factory=list)

    @property
    def is_bureau(self) -> bool:
        return self.kind == OrganKind.PETITION_BUREAU

    def actor(self, roles: frozenset[str]) -> Actor:
        for role in ROLE_PREFERENCE:
            if role in roles and role in self.staff:
                return self.staff[role]
        raise LookupError(f"{self.name} has no staff with any of {sorted(roles)}")


@dataclass
class Government:
    """A city or county government with its bureau, departments and (for a county) townships."""

    gov: Node
    bureau: Node
    departments: list[Node]
    townships: list[Node] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Node]:
        return [d for d in self.departments if d.kind in kinds]


@dataclass
class City:
    organs: list[Node]
    city: Government
    counties: list[Government]

    @property
    def by_id(self) -> dict[int, Node]:
        return {o.id: o for o in self.organs}


def build(rng: random.Random) -> City:
    organs: list[Node] = []

    def add(name: str, level: str, kind: str, region: str, superior: Node | None, weight: float = 0.0) -> Node:
        organ_id = len(organs) + 1
        path = f"{superior.path if superior else '/'}{organ_id}/"
        node = Node(organ_id, name, level, kind, region, superior, path, weight)
        organs.append(node)
        if superior is not None:
            superior.subordinates.append(node)
        return node

    def government(prefix: str, level: str, region: str, superior: Node | None, departments: list) -> Government:
        suffix = "人民政府"
        gov = add(f"{prefix}{suffix}", level, K.OTHER, region, superior)
        bureau = add(f"{prefix}信访局", level, K.PETITION_BUREAU, region, gov)
        depts = [add(f"{prefix}{name}", level, kind, region, gov, weight) for name, kind, weight in departments]
        return Government(gov, bureau, depts)

    city = government("西地市", Level.CITY, "990100", None, CITY_DEPARTMENTS)
    counties = []
    for index, county_name in enumerate(COUNTIES):
        region = f"9901{index + 2:02d}"
        county = government(county_name, Level.COUNTY, region, city.gov, COUNTY_DEPARTMENTS)
        county.gov.weight = rng.uniform(0.5, 2.0)  # the county's population, roughly
        for t in range(1, TOWNSHIPS_PER_COUNTY + 1):
            kind_name = "街道办事处" if county_name.endswith("区") else "镇人民政府"
            township = add(f"{county_name}第{t}{kind_name}", Level.TOWNSHIP, K.OTHER, region, county.gov)
            township.weight = rng.uniform(0.3, 1.5)
            county.townships.append(township)
            for v in range(1, VILLAGES_PER_TOWNSHIP + 1):
                village = "社区居民委员会" if county_name.endswith("区") else "村民委员会"
                add(f"{township.name}第{v}{village}", Level.VILLAGE, K.OTHER, region, township)
        counties.append(county)
    return City(organs, city, counties)


def insert(city: City) -> None:
    """Write organs, users and staff (every organ but villages has one staff member per role)."""
    Organ.objects.bulk_create(
        [
            Organ(
                id=o.id,
                name=o.name,
                level=o.level,
                kind=o.kind,
                region_code=o.region,
                superior_id=o.superior.id if o.superior else None,
                path=o.path,
                address=f"{o.name}地址",
                telephone="0999-12345",
                hours="工作日 9:00-17:00",
            )
            for o in city.organs
        ],
        batch_size=500,
    )
    password = make_password(None)  # unusable: nobody logs in as these users
    users, staff = [], []
    user_model = get_user_model()
    for o in city.organs:
        if o.level == Level.VILLAGE:
            continue
        roles = [*STAFF_ROLES, Role.SUPERVISOR] if o.is_bureau else list(STAFF_ROLES)
        for role in roles:
            user_id = len(users) + 1
            users.append(user_model(id=user_id, username=f"o{o.id}-{role}", password=password))
            name = f"{Role(role).label}{o.id}"
            staff.append(Staff(id=user_id, user_id=user_id, organ_id=o.id, roles=[role], display_name=name))
            o.staff[role] = Actor(user_id, user_id, f"{name}（{o.name}）", o.id)
    user_model.objects.bulk_create(users, batch_size=500)
    Staff.objects.bulk_create(staff, batch_size=500)
