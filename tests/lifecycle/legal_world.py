"""Builders for the legal scenarios and a stand-in for the documents app's notice checker.

The lifecycle does not import the documents app; the documents app registers a checker with
`xinfang.lifecycle.notices.register_checker`. Lifecycle tests register `fake_checker` instead (conftest.py):
it accepts a `FakeNotice` naming this case and the kind the transition asks for, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from tests.factories import City, at, build_city, organ, register, staff
from xinfang.audit.models import Event
from xinfang.intake.models import AccusedParty, Petition
from xinfang.lifecycle import clocks
from xinfang.lifecycle.models import Case, Clock
from xinfang.lifecycle.states import State, Via
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
    zj_housing: Organ  # an organ in 浙江 (330000), where 《浙江省信访条例》 applies


def extend_city(city: City) -> Extra:
    province = organ("东省人民政府", Level.PROVINCE, OrganKind.OTHER, "990000")
    city.gov.superior = province
    city.gov.system_superior = province
    city.gov.save()
    for name in (f.name for f in fields(City) if f.name != "people"):
        getattr(city, name).refresh_from_db()  # paths were rewritten under the province
    return Extra(
        province=province,
        province_discipline=organ("东省纪委监委", Level.PROVINCE, OrganKind.DISCIPLINE, "990000", province),
        county_discipline=organ("甲县纪委监委", Level.COUNTY, OrganKind.DISCIPLINE, "990102", city.county_gov),
        county_court=organ("甲县人民法院", Level.COUNTY, OrganKind.COURT, "990102", city.county_gov),
        city_congress=organ("西地市人大常委会", Level.CITY, OrganKind.PEOPLES_CONGRESS, "990100", city.gov),
        zj_housing=organ("杭州市上城区住房和城乡建设局", Level.COUNTY, OrganKind.FUNCTIONAL, "330102", None),
    )


def person(where: Organ, role: str) -> Staff:
    return staff(where, role)


class World:
    """The test city of `tests.factories`, a province above it and a few more organs, addressed by key."""

    def __init__(self) -> None:
        self.city = build_city()
        self.extra = extend_city(self.city)
        self.organs: dict[str, Organ] = {
            f.name: getattr(self.city, f.name) for f in fields(City) if f.name != "people"
        } | {f.name: getattr(self.extra, f.name) for f in fields(Extra)}

    def organ(self, key: str) -> Organ:
        return self.organs[key]

    def who(self, key: str, role: str) -> Staff:
        return self.city.who(self.organ(key), role)

    def case(self, spec: dict[str, Any], when: str) -> Case:
        """A case as `spec` describes it (legal-scenarios.yaml, key ``case``)."""
        where = self.organ(spec.get("organ", "county_housing"))
        received = str(spec.get("received", when))
        petition_fields: dict[str, Any] = {}
        if spec.get("identity_unclear"):
            petition_fields["address"] = ""
        case = register(self.city, where, when=received, **petition_fields)
        petition = case.petition
        if spec.get("accused"):
            accuse(petition, *(self.organ(k) for k in spec["accused"]))
        updates: dict[str, Any] = {"state": spec.get("state", State.REGISTERED), "category": spec.get("category", "")}
        if spec.get("category") == "accusation":
            updates["confidential_accusation"] = True
        for key in ("review_organ", "re_review_organ"):
            if spec.get(key):
                updates[key] = self.organ(spec[key])
        updates["acting_organ"] = updates.get("re_review_organ") or updates.get("review_organ") or where
        if spec.get("accepted"):
            updates["accepted_at"] = at(str(spec["accepted"]))
        if spec.get("report"):
            updates["completion_report"] = spec["report"]
        if spec.get("resume_state"):
            updates["resume_state"] = spec["resume_state"]
        if spec.get("via"):
            parent = register(self.city, self.organ(spec["from"]), when=received)
            Case.objects.filter(pk=parent.pk).update(
                state=spec.get("parent_state", State.TRANSFERRED), category=spec.get("category", "")
            )
            Case.objects.filter(pk=parent.pk).update(petition=petition, matter=petition.matter)
            updates.update(parent=parent, via=spec["via"])
        if not spec.get("keep_clocks"):
            Clock.objects.filter(case=case).delete()
        Case.objects.filter(pk=case.pk).update(**updates)
        case.refresh_from_db()
        if spec.get("matter_final"):
            case.matter.final_at = at(str(spec["matter_final"]))
            case.matter.save(update_fields=["final_at"])
        if spec.get("pending_below"):
            below = register(self.city, self.organ(spec["pending_below"]), when=received)
            Case.objects.filter(pk=below.pk).update(matter=case.matter, state=State.INVESTIGATING)
        if spec.get("assigned_to"):
            child = register(self.city, self.organ(spec["assigned_to"]), when=received)
            Case.objects.filter(pk=child.pk).update(parent=case, via=Via.ASSIGNMENT)
        for clock in spec.get("clocks", ()):
            self.clock(case, clock)
        return case

    def clock(self, case: Case, spec: dict[str, Any]) -> Clock:
        started = Event.objects.filter(case_id=case.pk).order_by("-seq").first()
        where = self.organ(spec["organ"]) if spec.get("organ") else case.organ
        start = dt.date.fromisoformat(str(spec["start"]))
        made = clocks.start_clock(case, spec["rule"], start, where, started, days=spec.get("days"))
        changes = {k: spec[k] for k in ("status", "paused_since") if k in spec}
        if changes:
            Clock.objects.filter(pk=made.pk).update(**changes)
            made.refresh_from_db()
        return made


__all__ = ["Extra", "FakeNotice", "Role", "World", "accuse", "extend_city", "fake_checker", "notice", "person"]
