"""The fictional city 西地市 (region 9901xx, so no real regional profile applies): organs and staff.

Departments sit under their government, townships under their county government and villages under
their township; county governments sit under the city government. Every organ publishes its channels
(Art. 18(1)). The accounts of `accounts.ACCOUNTS` can log in; every other organ gets two background
staff members (an officer and a head) with unusable passwords, so that its cases have real actors.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from xinfang.org.models import Level, Organ, OrganKind, Role, Staff

from .accounts import ACCOUNTS
from .people import full_name

K = OrganKind
CITY_CODE = "990100"
WEB = "https://xf.xidi.example/"  # the fictional online petition platform (.example is reserved)
HOURS = "工作日 上午9:00-12:00 下午14:00-17:30，{place}"

# (key, name, kind)
CITY_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("housing", "住房和城乡建设局", K.FUNCTIONAL),
    ("hrss", "人力资源和社会保障局", K.FUNCTIONAL),
    ("land", "自然资源和规划局", K.FUNCTIONAL),
    ("eco", "生态环境局", K.FUNCTIONAL),
    ("market", "市场监督管理局", K.FUNCTIONAL),
    ("edu", "教育局", K.FUNCTIONAL),
    ("health", "卫生健康委员会", K.FUNCTIONAL),
    ("transport", "交通运输局", K.FUNCTIONAL),
    ("court", "中级人民法院", K.COURT),
    ("procuratorate", "人民检察院", K.PROCURATORATE),
    ("police", "公安局", K.PUBLIC_SECURITY),
    ("justice", "司法局", K.JUSTICE),
    ("discipline", "纪委监委", K.DISCIPLINE),
    ("congress", "人大常委会", K.PEOPLES_CONGRESS),
)
COUNTY_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("housing", "住房和城乡建设局", K.FUNCTIONAL),
    ("hrss", "人力资源和社会保障局", K.FUNCTIONAL),
    ("land", "自然资源局", K.FUNCTIONAL),
    ("eco", "生态环境局", K.FUNCTIONAL),
    ("police", "公安局", K.PUBLIC_SECURITY),
    ("court", "人民法院", K.COURT),
)


# 机关代字 for document numbers (GB/T 9704-2012 7.2.4): the place's first character and the organ's short name.
PLACE_CODE = {"city": "市", "dc": "东", "xs": "西", "nh": "南"}
ORGAN_CODE = {
    "gov": "政",
    "bureau": "信访",
    "housing": "住建",
    "hrss": "人社",
    "land": "自然资源",
    "eco": "环",
    "market": "市监",
    "edu": "教",
    "health": "卫健",
    "transport": "交",
    "court": "法",
    "procuratorate": "检",
    "police": "公",
    "justice": "司",
    "discipline": "纪",
    "congress": "人大",
}


def document_code(key: str) -> str:
    """"dc.housing" -> "东住建"; towns and villages use their names (empty code)."""
    place, _, organ = key.partition(".")
    return PLACE_CODE[place] + ORGAN_CODE[organ] if organ in ORGAN_CODE else ""


@dataclass(frozen=True)
class TownSpec:
    key: str
    name: str  # short name used in addresses, e.g. 城关镇
    organ: str  # the organ's name, e.g. 城关镇人民政府
    villages: tuple[tuple[str, str], ...]  # (short name, organ name)


@dataclass(frozen=True)
class CountySpec:
    key: str
    name: str
    code: str
    seat: str  # the street of the county offices
    towns: tuple[TownSpec, ...]
    police: str = "公安局"


COUNTIES: tuple[CountySpec, ...] = (
    CountySpec(
        "dc",
        "东城区",
        "990102",
        "人民路",
        (
            TownSpec(
                "t1",
                "东关街道",
                "东关街道办事处",
                (("幸福路社区", "幸福路社区居民委员会"), ("建设路社区", "建设路社区居民委员会")),
            ),
            TownSpec("t2", "文昌街道", "文昌街道办事处", (("文昌阁社区", "文昌阁社区居民委员会"),)),
        ),
        police="公安分局",
    ),
    CountySpec(
        "xs",
        "西山县",
        "990103",
        "府前街",
        (
            TownSpec(
                "t1", "城关镇", "城关镇人民政府", (("北街社区", "北街社区居民委员会"), ("杨家庄村", "杨家庄村民委员会"))
            ),
            TownSpec("t2", "柳林乡", "柳林乡人民政府", (("柳林村", "柳林村民委员会"),)),
        ),
    ),
    CountySpec(
        "nh",
        "南湖县",
        "990104",
        "湖滨大道",
        (
            TownSpec(
                "t1", "湖滨镇", "湖滨镇人民政府", (("渔港社区", "渔港社区居民委员会"), ("刘家湾村", "刘家湾村民委员会"))
            ),
            TownSpec("t2", "青石镇", "青石镇人民政府", (("青石村", "青石村民委员会"), ("石门村", "石门村民委员会"))),
        ),
    ),
)
COUNTY_BY_KEY = {c.key: c for c in COUNTIES}
STAFF_ROLES = (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.HANDLER, Role.APPROVER, Role.LEADER)
OFFICER_ROLES = (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.HANDLER)
HEAD_ROLES = (Role.APPROVER, Role.LEADER)


@dataclass
class DemoCity:
    organs: dict[str, Organ] = field(default_factory=dict)  # "city.gov", "dc.housing", "xs.t1", "xs.t1.v2"…
    staff: dict[tuple[int, str], Staff] = field(default_factory=dict)  # (organ id, role) -> who acts
    accounts: dict[str, Staff] = field(default_factory=dict)  # username -> staff

    def __getitem__(self, key: str) -> Organ:
        return self.organs[key]

    def by_name(self, name: str) -> Organ:
        return next(o for o in self.organs.values() if o.name == name)

    def who(self, organ: Organ, role: str) -> Staff:
        try:
            return self.staff[(organ.pk, role)]
        except KeyError:
            raise LookupError(f"演示数据中{organ}没有{Role(role).label}") from None

    def dept(self, county: str, key: str) -> Organ:
        """The county's department if it has one, else the city's."""
        return self.organs.get(f"{county}.{key}") or self.organs[f"city.{key}"]


class _Builder:
    def __init__(self) -> None:
        self.city = DemoCity()
        self.phone = 0

    def organ(
        self, key: str, name: str, level: str, kind: str, code: str, superior: Organ | None, address: str, place: str
    ) -> Organ:
        self.phone += 1
        organ = Organ.objects.create(
            name=name,
            code=document_code(key),
            level=level,
            kind=kind,
            region_code=code,
            superior=superior,
            address=address,
            telephone=f"0999-12345{self.phone:02d}",
            hours=HOURS.format(place=place),
            web="" if level == Level.VILLAGE else WEB,
        )
        self.city.organs[key] = organ
        return organ

    def build(self) -> DemoCity:
        gov = self.organ(
            "city.gov", "西地市人民政府", Level.CITY, K.OTHER, CITY_CODE, None, "西地市东城区人民路1号", "市民中心一楼"
        )
        self.organ(
            "city.bureau",
            "西地市信访局",
            Level.CITY,
            K.PETITION_BUREAU,
            CITY_CODE,
            gov,
            "西地市东城区人民路3号",
            "市群众来访接待中心",
        )
        for number, (key, name, kind) in enumerate(CITY_DEPARTMENTS, start=5):
            self.organ(
                f"city.{key}",
                f"西地市{name}",
                Level.CITY,
                kind,
                CITY_CODE,
                gov,
                f"西地市东城区{'人民路' if number % 2 else '建设路'}{number * 2 + 1}号",
                "一楼来访接待室",
            )
        for county in COUNTIES:
            self.county(county, gov)
        return self.city

    def county(self, spec: CountySpec, city_gov: Organ) -> None:
        prefix = spec.name
        gov = self.organ(
            f"{spec.key}.gov",
            f"{prefix}人民政府",
            Level.COUNTY,
            K.OTHER,
            spec.code,
            city_gov,
            f"西地市{prefix}{spec.seat}1号",
            "政务服务中心一楼",
        )
        self.organ(
            f"{spec.key}.bureau",
            f"{prefix}信访局",
            Level.COUNTY,
            K.PETITION_BUREAU,
            spec.code,
            gov,
            f"西地市{prefix}{spec.seat}5号",
            "群众来访接待中心",
        )
        for number, (key, name, kind) in enumerate(COUNTY_DEPARTMENTS, start=3):
            label = spec.police if key == "police" else name
            self.organ(
                f"{spec.key}.{key}",
                f"{prefix}{label}",
                Level.COUNTY,
                kind,
                spec.code,
                gov,
                f"西地市{prefix}{spec.seat}{number * 4 + 1}号",
                "一楼来访接待室",
            )
        for town_no, town in enumerate(spec.towns, start=1):
            town_organ = self.organ(
                f"{spec.key}.{town.key}",
                f"{prefix}{town.organ}",
                Level.TOWNSHIP,
                K.OTHER,
                spec.code,
                gov,
                f"西地市{prefix}{town.name}{'中心街' if town_no == 1 else '新街'}8号",
                "便民服务中心",
            )
            for v_no, (village, organ_name) in enumerate(town.villages, start=1):
                self.organ(
                    f"{spec.key}.{town.key}.v{v_no}",
                    organ_name,
                    Level.VILLAGE,
                    K.OTHER,
                    spec.code,
                    town_organ,
                    f"西地市{prefix}{town.name}{village}村（居）委会办公楼",
                    "党群服务中心",
                )


def build_city() -> DemoCity:
    """Create every organ of the demo city (in tree order, so that `Organ.save` computes the paths)."""
    return _Builder().build()


def create_staff(city: DemoCity, rng: random.Random) -> list[Staff]:
    """The demo accounts, then background staff for every role an organ still lacks (villages excepted)."""
    User = get_user_model()
    hashes: dict[str, str] = {}  # one hash per distinct password: hashing is deliberately slow
    created: list[Staff] = []
    for account in ACCOUNTS:
        if account.password not in hashes:
            hashes[account.password] = make_password(account.password)
        password = hashes[account.password]
        user = User.objects.filter(username=account.username).first()
        if user is None:
            superuser = Role.ADMINISTRATOR in account.roles
            user = User(username=account.username, is_staff=superuser, is_superuser=superuser, password=password)
            user.save()
        organ = city.by_name(account.organ)
        staff = Staff.objects.create(
            user=user, organ=organ, roles=list(account.roles), display_name=account.display_name
        )
        city.accounts[account.username] = staff
        for role in account.roles:
            city.staff.setdefault((organ.pk, role), staff)
        created.append(staff)
    number = 0
    for organ in city.organs.values():
        if organ.level == Level.VILLAGE:
            continue
        for roles in (OFFICER_ROLES, HEAD_ROLES):
            missing = [r for r in roles if (organ.pk, r) not in city.staff]
            if not missing:
                continue
            number += 1
            user = User(username=f"staff{number:03d}")
            user.set_unusable_password()
            user.save()
            staff = Staff.objects.create(user=user, organ=organ, roles=missing, display_name=full_name(rng))
            for role in missing:
                city.staff[(organ.pk, role)] = staff
            created.append(staff)
    return created
