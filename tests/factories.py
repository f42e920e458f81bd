"""A small fictional city (region 9901xx, no regional profile) with one staff member per role and organ."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import Client

from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle.models import Case
from xinfang.org.models import Level, Organ, OrganKind, Role, Staff

CST = ZoneInfo("Asia/Shanghai")
_counter = itertools.count(1)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=CST)


def organ(name: str, level: str, kind: str, region: str, superior: Organ | None = None) -> Organ:
    return Organ.objects.create(
        name=name,
        level=level,
        kind=kind,
        region_code=region,
        superior=superior,
        address=f"{name}地址",
        telephone="0000-12345",
        hours="工作日 9:00-17:00",
    )


def staff(where: Organ, *roles: str, name: str = "") -> Staff:
    n = next(_counter)
    user = get_user_model().objects.create_user(f"user{n}", password="pw")
    return Staff.objects.create(user=user, organ=where, roles=list(roles), display_name=name or f"{where.name}{n}")


@dataclass
class City:
    gov: Organ
    bureau: Organ
    housing: Organ
    court: Organ
    discipline: Organ
    county_gov: Organ
    county_bureau: Organ
    county_housing: Organ
    county_land: Organ
    other_county_gov: Organ
    other_county_housing: Organ
    people: dict[tuple[str, str], Staff] = field(default_factory=dict)

    def who(self, where: Organ, role: str) -> Staff:
        key = (where.name, role)
        if key not in self.people:
            self.people[key] = staff(where, role)
        return self.people[key]


def build_city() -> City:
    gov = organ("西地市人民政府", Level.CITY, OrganKind.OTHER, "990100")
    county_gov = organ("甲县人民政府", Level.COUNTY, OrganKind.OTHER, "990102", gov)
    other_county_gov = organ("乙县人民政府", Level.COUNTY, OrganKind.OTHER, "990103", gov)
    return City(
        gov=gov,
        bureau=organ("西地市信访局", Level.CITY, OrganKind.PETITION_BUREAU, "990100", gov),
        housing=organ("西地市住房和城乡建设局", Level.CITY, OrganKind.FUNCTIONAL, "990100", gov),
        court=organ("西地市中级人民法院", Level.CITY, OrganKind.COURT, "990100", gov),
        discipline=organ("西地市纪委监委", Level.CITY, OrganKind.DISCIPLINE, "990100", gov),
        county_gov=county_gov,
        county_bureau=organ("甲县信访局", Level.COUNTY, OrganKind.PETITION_BUREAU, "990102", county_gov),
        county_housing=organ("甲县住房和城乡建设局", Level.COUNTY, OrganKind.FUNCTIONAL, "990102", county_gov),
        county_land=organ("甲县自然资源局", Level.COUNTY, OrganKind.FUNCTIONAL, "990102", county_gov),
        other_county_gov=other_county_gov,
        other_county_housing=organ(
            "乙县住房和城乡建设局", Level.COUNTY, OrganKind.FUNCTIONAL, "990103", other_county_gov
        ),
    )


def register(city: City, where: Organ | None = None, *, when: str = "2026-03-02", **fields: Any) -> Case:
    where = where or city.bureau
    data = PetitionInput(
        channel=fields.pop("channel", "visit"),
        request=fields.pop("request", "请求补发拖欠的房屋征收补偿款"),
        region_code=fields.pop("region_code", "990102"),
        received_at=at(when),
        name=fields.pop("name", "王某某"),
        address=fields.pop("address", "甲县城关镇幸福路1号"),
        contact=fields.pop("contact", "13800000000"),
        facts=fields.pop("facts", "2024年房屋被征收，补偿款至今未付清"),
        reasons=fields.pop("reasons", "征收补偿协议约定一年内付清"),
        **fields,
    )
    return register_petition(data, organ=where, actor=city.who(where, Role.REGISTRAR), now=at(when))


def client_for(person: Staff) -> Client:
    """A test client logged in as this staff member."""
    client = Client()
    client.force_login(person.user)
    return client
