"""Turn the scenario catalogue into concrete stories: who, where, which text, and the date of every step.

Everything is decided here, before anything is written, from one seeded random generator; each story
also gets its own generator (seeded from the first) for what it decides while it plays.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from xinfang.intake.models import Channel
from xinfang.intake.services import RepresentativeInput
from xinfang.lifecycle.models import Case
from xinfang.org.models import Level, Organ, OrganKind
from xinfang.rules import HolidayCalendar

from .city import COUNTIES, COUNTY_DEPARTMENTS, DemoCity
from .content import TEMPLATES, Template
from .people import ESTATES, ROADS, Person, Place, full_name, masked_name, mobile, person, resident_id
from .scenarios import PL_DEPTS, SCENARIOS, Scenario

CST = ZoneInfo("Asia/Shanghai")
COUNTY_WEIGHTS = {"dc": 0.45, "xs": 0.3, "nh": 0.25}
SHOWCASE_COUNTY, SHOWCASE_DEPT = "dc", "housing"  # 东城区住房和城乡建设局
COUNTY_LEVEL_DEPTS = frozenset({key for key, _, _ in COUNTY_DEPARTMENTS} | {"township"})
CHANNEL_WEIGHTS = {
    "grievance": {"visit": 30, "online": 28, "letter": 18, "phone": 12, "fax": 5, "other": 7},
    "suggestion": {"online": 50, "letter": 25, "phone": 10, "other": 10, "visit": 5},
    "accusation": {"online": 45, "letter": 30, "phone": 10, "visit": 10, "fax": 5},
}


@dataclass
class Story:
    index: int
    scenario: Scenario
    template: Template
    rng: random.Random
    place: Place
    text: dict[str, str]
    entry: str
    dept: Organ  # the organ that handles the petition
    bureau: Organ | None  # the petition bureau that registers it, if any
    wrong: Organ | None  # the department it is first wrongly sent to
    accused: Organ | None
    channel: str
    person: Person
    anonymous: bool = False
    collective: bool = False
    headcount: int | None = None
    representatives: list[RepresentativeInput] = field(default_factory=list)
    steps: list[tuple[str, dt.datetime]] = field(default_factory=list)
    case: Case | None = None  # the case being worked on
    bureau_case: Case | None = None
    current: str = ""  # the operation being played

    @property
    def registers_at(self) -> Organ:
        organ = self.dept if self.entry == "direct" else self.bureau
        assert organ is not None
        return organ


def organ_for(city: DemoCity, key: str, place: Place) -> Organ:
    """The organ of department ``key`` for a petition about ``place``: the county's, else the city's."""
    if key == "township":
        return city[f"{place.county_key}.{place.town_key}"]
    if key == "village":
        return city[f"{place.county_key}.{place.town_key}.{place.village_key}"]
    return city.dept(place.county_key, key)


def _months_back(day: dt.date, months: int) -> str:
    total = day.year * 12 + day.month - 1 - months
    return f"{total // 12}年{total % 12 + 1}月"


def text_context(place: Place, town_organ: str, rng: random.Random, start: dt.date) -> dict[str, str]:
    return {
        "county": place.county,
        "town": place.town,
        "town_organ": town_organ,
        "village": place.village,
        "road": place.road,
        "estate": place.estate,
        "num": str(rng.randint(1, 199)),
        "month": _months_back(start, rng.randint(5, 24)),
        "month2": _months_back(start, rng.randint(1, 4)),
        "money": f"{rng.randint(8, 60)}.{rng.randint(0, 9)}万元",
        "wage": f"{rng.randint(30, 180)}.{rng.randint(0, 9)}万元",
        "fee": f"{rng.randint(20, 98)}00元",
        "count": str(rng.randint(12, 60)),
        "households": str(rng.randint(30, 260)),
        "mu": f"{rng.randint(2, 8)}.{rng.randint(0, 9)}",
        "acres": str(rng.randint(80, 600)),
        "school": rng.choice((f"{place.county}实验小学", f"{place.town}中心小学", f"{place.county}第二中学")),
        "hospital": rng.choice(("西地市第一人民医院", f"{place.county}人民医院", "西地市中医院")),
    }


class Planner:
    def __init__(self, city: DemoCity, now: dt.datetime, calendar: HolidayCalendar, seed: int) -> None:
        self.city, self.calendar = city, calendar
        self.today = now.astimezone(CST).date()
        self.rng = random.Random(seed)
        self.used: Counter[str] = Counter()

    # --- choices -------------------------------------------------------------------------------

    def eligible(self, scenario: Scenario, template: Template) -> bool:
        if template.category != scenario.category:
            return False
        if scenario.depts:
            if template.dept not in scenario.depts:
                return False
        elif template.dept in PL_DEPTS or template.dept == "discipline":
            return False
        if template.dept == "congress" and "direct" not in scenario.entries and scenario.entries != ("bureau",):
            return False
        if scenario.county_level and template.dept not in COUNTY_LEVEL_DEPTS:
            return False
        for need in scenario.needs:
            if need == "not_discipline":
                ok = template.dept != "discipline"
            elif need == "not_pl":
                ok = template.dept not in PL_DEPTS
            else:
                ok = bool(getattr(template, need))
            if not ok:
                return False
        return True

    def template(self, scenario: Scenario, *, showcase: bool = False) -> Template:
        candidates = [t for t in TEMPLATES if self.eligible(scenario, t)]
        if not candidates:
            raise LookupError(f"场景 {scenario.name} 没有可用的信访内容模板")
        if showcase:
            # The first petition of a scenario ends at 东城区住房和城乡建设局, where the demo accounts work.
            key = "wrong" if "wrong" in scenario.entries else "dept"
            candidates = [t for t in candidates if getattr(t, key) == SHOWCASE_DEPT and not t.rural] or candidates
        least = min(self.used[t.key] for t in candidates)
        template = self.rng.choice([t for t in candidates if self.used[t.key] == least])
        self.used[template.key] += 1
        return template

    def place(self, *, county: str = "", rural: bool = False) -> Place:
        options = [
            (spec, town, v_no)
            for spec in COUNTIES
            if not county or spec.key == county
            for town in spec.towns
            for v_no, (village, _) in enumerate(town.villages)
            if not rural or village.endswith("村")
        ]
        weights = [COUNTY_WEIGHTS[spec.key] / len(spec.towns) / len(town.villages) for spec, town, _ in options]
        spec, town, v_no = self.rng.choices(options, weights)[0]
        return Place(
            county=spec.name,
            county_key=spec.key,
            code=spec.code,
            town=town.name,
            town_key=town.key,
            village=town.villages[v_no][0],
            village_key=f"v{v_no + 1}",
            road=self.rng.choice(ROADS),
            estate=self.rng.choice(ESTATES),
        )

    def organ_for(self, key: str, place: Place) -> Organ:
        return organ_for(self.city, key, place)

    def bureau_for(self, targets: list[Organ], place: Place) -> Organ:
        county_bureau = self.city[f"{place.county_key}.bureau"]
        routed = [t for t in targets if t.is_political_legal or t.kind == OrganKind.DISCIPLINE]
        if routed:  # Art. 22(2): forwarded to the 政法 or discipline organ of the bureau's own level
            return county_bureau if routed[0].level == Level.COUNTY else self.city["city.bureau"]
        local = all(t.level != Level.CITY and t.region_code == county_bureau.region_code for t in targets)
        return county_bureau if local and self.rng.random() < 0.5 else self.city["city.bureau"]

    def channel(self, template: Template) -> str:
        weights = CHANNEL_WEIGHTS[template.category]
        return self.rng.choices(list(weights), list(weights.values()))[0]

    # --- dates ---------------------------------------------------------------------------------

    def working(self, day: dt.date) -> dt.date:
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def dates(self, start: dt.date, gaps: list[int], online: bool) -> list[dt.date]:
        result = [start if online else self.working(start)]
        for gap in gaps[1:]:
            result.append(self.working(result[-1] + dt.timedelta(days=gap)))
        return result

    def schedule(self, ops: list[tuple[str, int, int]], slack: int, online: bool) -> list[tuple[str, dt.datetime]]:
        gaps = [self.rng.randint(lo, hi) for _, lo, hi in ops]
        last = self.today - dt.timedelta(days=1 + slack)
        start = last - dt.timedelta(days=sum(gaps))
        days = self.dates(start, gaps, online)
        while days[-1] > last:
            start -= days[-1] - last
            days = self.dates(start, gaps, online)
        result: list[tuple[str, dt.datetime]] = []
        previous: dt.datetime | None = None
        for (op, _, _), day in zip(ops, days, strict=True):
            if previous is not None and previous.date() == day:
                when = previous + dt.timedelta(minutes=self.rng.randint(10, 90))
            elif previous is None and online:
                when = dt.datetime.combine(day, dt.time(self.rng.randint(7, 22), self.rng.randint(0, 59)), CST)
            else:
                when = dt.datetime.combine(day, dt.time(self.rng.randint(8, 16), self.rng.randint(0, 59)), CST)
            result.append((op, when))
            previous = when
        return result

    # --- stories -------------------------------------------------------------------------------

    def story(self, index: int, scenario: Scenario, showcase: bool) -> Story:
        template = self.template(scenario, showcase=showcase)
        pinned = showcase and SHOWCASE_DEPT in (template.dept, template.wrong)
        place = self.place(county=SHOWCASE_COUNTY if pinned else "", rural=template.rural)
        dept = self.organ_for(template.dept, place)
        entry = self.rng.choice(scenario.entries)
        if template.dept == "congress" and "direct" in scenario.entries:
            entry = "direct"
        wrong = self.organ_for(template.wrong, place) if entry == "wrong" else None
        bureau = None if entry == "direct" else self.bureau_for([dept] + ([wrong] if wrong else []), place)
        accused = self.organ_for(template.accused, place) if template.accused else None
        rng = random.Random(self.rng.getrandbits(64))
        collective = template.collective and ("collective" in scenario.needs or rng.random() < 0.45)
        channel = Channel.VISIT if collective else self.channel(template)
        anonymous = channel in ("online", "letter", "phone") and (
            rng.random() < (0.5 if template.category == "accusation" else 0.04)
        )
        steps = self.schedule(scenario.expanded(entry), rng.randint(*scenario.slack), channel == Channel.ONLINE)
        town_organ = self.city[f"{place.county_key}.{place.town_key}"].name
        story = Story(
            index=index,
            scenario=scenario,
            template=template,
            rng=rng,
            place=place,
            text=text_context(place, town_organ, rng, steps[0][1].date()),
            entry=entry,
            dept=dept,
            bureau=bureau,
            wrong=wrong,
            accused=accused,
            channel=channel,
            person=person(rng, place, with_id=channel == Channel.VISIT and rng.random() < 0.7),
            anonymous=anonymous,
            collective=collective,
            steps=steps,
        )
        if channel == Channel.PHONE and not anonymous and rng.random() < 0.4:
            # A caller who gives only a surname and no address: registered, flagged, no notice owed.
            surname = story.person.name[0]
            story.person = Person(f"{surname}{rng.choice(('先生', '女士'))}", "", "", story.person.contact)
        if collective:
            story.headcount = int(story.text["count"]) if "{count}" in template.request else rng.randint(6, 40)
            story.representatives = [
                RepresentativeInput(
                    name=story.person.name if n == 0 else (full_name(rng) if rng.random() < 0.8 else masked_name(rng)),
                    id_number=(story.person.id_number if n == 0 else "") or resident_id(rng, place.code),
                    contact=story.person.contact if n == 0 else mobile(rng),
                )
                for n in range(rng.randint(2, 5))
            ]
        return story

    def stories(self) -> list[Story]:
        plan = [(scenario, n == 0) for scenario in SCENARIOS for n in range(scenario.count)]
        return [self.story(index, scenario, showcase) for index, (scenario, showcase) in enumerate(plan, start=1)]
