"""Two petitions that show organ systems at work, played after the city's stories.

- An accusation against 东城区人民政府 and one of its deputy heads, sent by letter to 西地市纪委监委 and handled
  there. It is confidential from registration: the county government, its 信访局 and the city 信访局 see
  nothing of it (Art. 30(3)), and the 纪委监委's notices follow its own rules (Art. 23(4)).
- A grievance handled by 东城区人民法院: its 信访处理意见书 is served, and the petitioner's request for review
  goes to 西地市中级人民法院, the superior inside the court system (Art. 35), not to the county government.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Generator
from typing import Any

from xinfang.documents import services as documents
from xinfang.documents.models import Document, ServiceMethod
from xinfang.intake.models import Channel
from xinfang.intake.services import AccusedInput, PetitionInput, register_petition
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role as R

from .city import DemoCity
from .director import Director
from .people import full_name
from .steps import _prepare

ACCUSATION: dict[str, Any] = {
    "request": "检举东城区人民政府副区长郑某某在老旧小区改造项目招标中为其亲属经营的公司谋取利益。",
    "facts": "2025年下半年东城区老旧小区改造三个标段均由同一家公司中标，该公司法定代表人系郑某某的妻弟；"
    "开标前该公司负责人多次出入区政府。",
    "reasons": "请求依纪依法调查处理，并对检举人身份保密。",
}
COURT: dict[str, Any] = {
    "request": "反映东城区人民法院执行局对我申请执行的民事判决长期未采取执行措施，请求依法督促执行。",
    "facts": "本人于2025年9月申请强制执行（2025）东民初字第318号民事判决，至今未收到执行进展告知。",
    "reasons": "判决已生效，被执行人名下有房产，具备执行条件。",
}


def _finish(steps: Generator[dt.datetime, None, Document]) -> Document:
    """Run an operation's steps at once (the moments are already fixed) and return its document."""
    try:
        while True:
            next(steps)
    except StopIteration as done:
        return done.value


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _person(seed: int, place: str) -> dict[str, Any]:
    return {
        "name": full_name(random.Random(seed)),
        "id_number": "",
        "address": f"西地市东城区{place}",
        "contact": f"1390999{seed:04d}",
    }


def accusation_at_discipline(city: DemoCity, start: dt.date) -> Case:
    discipline, county_gov = city["city.discipline"], city["dc.gov"]
    clerk = city.who(discipline, R.REGISTRAR)
    case = register_petition(
        PetitionInput(
            channel=Channel.LETTER,
            region_code=county_gov.region_code,
            received_at=_at(start, 9),
            accusation=True,
            accused=[
                AccusedInput(organ_id=county_gov.pk),
                AccusedInput(person_name="郑某某", person_organ_id=county_gov.pk),
            ],
            **ACCUSATION,
            **_person(7101, "人民路88号"),
        ),
        organ=discipline,
        actor=clerk,
        now=_at(start, 10),
    )
    triage = city.who(discipline, R.TRIAGE_OFFICER)
    day = _workday(start + dt.timedelta(days=2))
    perform(case, "triage", triage, {"category": "accusation"}, now=_at(day, 10))
    perform(case, "accept", triage, {}, now=_at(day, 11))
    later = _workday(day + dt.timedelta(days=5))
    return perform(case, "start_accusation_handling", city.who(discipline, R.HANDLER), {}, now=_at(later, 10))


def grievance_at_court(city: DemoCity, start: dt.date, end: dt.datetime) -> Case:
    court, city_court = city["dc.court"], city["city.court"]
    director = Director(city, end)
    case = register_petition(
        PetitionInput(channel=Channel.VISIT, region_code=court.region_code, **COURT, **_person(7102, "文昌路12号")),
        organ=court,
        actor=city.who(court, R.REGISTRAR),
        now=_at(start, 10),
    )
    officer, handler = city.who(court, R.TRIAGE_OFFICER), city.who(court, R.HANDLER)
    perform(case, "triage", officer, {"category": "grievance"}, now=_at(start, 11))
    perform(case, "accept", officer, {}, now=_at(start, 14))
    notice = {
        "route": "本院将依照《信访工作条例》办理，调查核实后出具书面处理意见。",
        "contact": f"{court.name}，地址：{court.address}，电话：{court.telephone}。",
    }
    receipt = _finish(_prepare(director, case, "receipt_notice", notice, _at(start, 15), role=R.REGISTRAR))
    documents.serve(receipt, officer, method=ServiceMethod.IN_PERSON, served_on=start, now=_at(start, 16))
    day = _workday(start + dt.timedelta(days=1))
    perform(case, "investigate", handler, {}, now=_at(day, 10))
    day = _workday(day + dt.timedelta(days=12))
    opinion = {
        "outcome": "explained",
        "facts": "经调阅执行卷宗，执行局已于2025年10月查封被执行人名下房产，评估拍卖程序正在进行。",
        "reasons": "执行措施已依法采取，未及时告知执行进展不妥，已责成执行法官向申请人说明情况。",
        "legal_basis": "《中华人民共和国民事诉讼法》第二百四十七条；《信访工作条例》第三十二条第一款第二项",
    }
    perform(case, "issue_opinion", handler, opinion, now=_at(day, 10))
    content = {
        "outcome": "解释说明",
        "facts_and_reasons": opinion["facts"],
        "opinion": opinion["reasons"],
        "legal_basis": opinion["legal_basis"],
    }
    document = _finish(_prepare(director, case, "handling_opinion", content, _at(day, 11)))
    day = _workday(day + dt.timedelta(days=2))
    documents.serve(document, handler, method=ServiceMethod.IN_PERSON, served_on=day, now=_at(day, 10))
    day = _workday(day + dt.timedelta(days=6))
    # The petitioner asks for review at the court one level up in its own system (Art. 35).
    registrar = city.who(city_court, R.REGISTRAR)
    return perform(case, "request_review", registrar, {"received_on": day}, now=_at(day, 10))


def seed_systems(city: DemoCity, now: dt.datetime) -> list[Case]:
    start = _workday((now - dt.timedelta(days=40)).date())
    return [accusation_at_discipline(city, start), grievance_at_court(city, start, now)]
