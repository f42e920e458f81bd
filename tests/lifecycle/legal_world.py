"""Builders for the legal scenarios and a stand-in for the documents app's notice checker.

The lifecycle does not import the documents app; the documents app registers a checker with
`xinfang.lifecycle.notices.register_checker`. Lifecycle tests register `fake_checker` instead (conftest.py):
it accepts a `FakeNotice` naming this case and the kind the transition asks for, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.factories import City, organ, staff
from xinfang.intake.models import AccusedParty, Petition
from xinfang.org.models import Level, Organ, OrganKind, Role, Staff


@dataclass(frozen=True)
class FakeNotice:
    """An issued document of ``kind`` on case ``case_id``, as the documents app would hand it over."""

    kind: str
    case_id: int


def fake_checker(case: Any, kind: str, document: Any) -> str | None:
    if not isinstance(document, FakeNotice):
        return "不是本案已出具的文书"
    if document.case_id != case.pk:
        return "该文书不属于本案"
    if document.kind != kind:
        return f"该文书不是所需的文书（{document.kind}）"
    return None


def notice(case: Any, kind: str) -> dict[str, Any]:
    """The payload part naming an issued document of ``kind`` on ``case``."""
    return {"document": FakeNotice(kind, case.pk)}


def accuse(petition: Petition, *organs: Organ, person: str = "") -> None:
    """Record the accused organs (or the organ of an accused person) of ``petition``."""
    for accused in organs:
        AccusedParty.objects.create(petition=petition, organ=accused, person_name=person)
    Petition.objects.filter(pk=petition.pk).update(accusation=True)
    petition.accusation = True


@dataclass
class Extra:
    """Organs the fictional city of `tests.factories` lacks: a province, its discipline organ, a county court."""

    province: Organ
    province_discipline: Organ
    county_discipline: Organ
    county_court: Organ
    city_congress: Organ


def extend_city(city: City) -> Extra:
    province = organ("东省人民政府", Level.PROVINCE, OrganKind.OTHER, "990000")
    city.gov.superior = province
    city.gov.save()
    return Extra(
        province=province,
        province_discipline=organ("东省纪委监委", Level.PROVINCE, OrganKind.DISCIPLINE, "990000", province),
        county_discipline=organ("甲县纪委监委", Level.COUNTY, OrganKind.DISCIPLINE, "990102", city.county_gov),
        county_court=organ("甲县人民法院", Level.COUNTY, OrganKind.COURT, "990102", city.county_gov),
        city_congress=organ("西地市人大常委会", Level.CITY, OrganKind.PEOPLES_CONGRESS, "990100", city.gov),
    )


def person(where: Organ, role: str) -> Staff:
    return staff(where, role)


__all__ = ["Extra", "FakeNotice", "Role", "accuse", "extend_city", "fake_checker", "notice", "person"]
