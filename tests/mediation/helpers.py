"""A 申诉求决类 case at 甲县住房和城乡建设局 being investigated, and a people's mediation committee of 甲县."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import City, at, register
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.mediation import services
from xinfang.mediation.models import BodyKind, MediationBody, Mediator, Referral
from xinfang.org.models import Role


def investigating(city: City, when: str = "2026-03-02") -> Case:
    case = register(city, city.county_housing, when=when)
    triage = city.who(city.county_housing, Role.TRIAGE_OFFICER)
    case = perform(case, "triage", triage, {"category": "grievance"}, now=at(when))
    case = perform(case, "accept", triage, now=at(when))
    return perform(case, "investigate", city.who(city.county_housing, Role.HANDLER), now=at(when, 11))


def committee(city: City) -> tuple[MediationBody, Mediator]:
    body = services.add_body("甲县城关镇人民调解委员会", BodyKind.PEOPLES, city.county_gov, telephone="0990-1234567")
    return body, services.add_mediator(body, "李调解", "专职人民调解员")


def referred(city: City, case: Case, day: str = "2026-03-05") -> Referral:
    body, mediator = committee(city)
    return services.refer(
        case,
        city.who(city.county_housing, Role.HANDLER),
        mode="mediation",
        body=body,
        mediator=mediator,
        other_party="甲县某房屋征收服务中心",
        consent="信访人王某某和征收服务中心均书面同意调解",
        consent_on=dt.date.fromisoformat(day),
        now=at(day),
    )


AGREED = {
    "terms": "征收服务中心于2026年4月30日前补付补偿款12.5万元。",
    "performance": "银行转账至信访人账户，付清后信访人不再就此事项信访。",
    "signatures": "申请人：王某某（签名）　对方当事人：甲县某房屋征收服务中心（盖章）",
}


def settle(city: City, referral: Referral, day: str = "2026-03-12", **content: Any) -> Document:
    handler = city.who(city.county_housing, Role.HANDLER)
    services.record_session(
        referral,
        handler,
        held_on=dt.date.fromisoformat(day),
        place="城关镇人民调解室",
        attendees="王某某；征收服务中心张某；调解员李调解",
        notes="双方就补偿款数额和支付期限达成一致。",
        now=at(day),
    )
    document = services.draft_agreement(referral, handler, now=at(day, 14))
    document = documents.update(document, {**AGREED, **content}, handler, now=at(day, 15))
    return documents.issue(document, handler, now=at(day, 16))


def re_review_case(city: City) -> Case:
    """A grievance through the opinion and the review to a re-review request at 西地市人民政府."""
    from tests.portal.helpers import accept, serve_opinion

    case = register(city, city.county_housing, when="2026-03-02")
    case = accept(city, case)
    serve_opinion(city, case, dt.date(2026, 4, 10))
    case.refresh_from_db()
    case = perform(
        case,
        "request_review",
        city.who(city.county_gov, Role.REGISTRAR),
        {"received_on": "2026-04-20"},
        now=at("2026-04-20"),
    )
    handler, approver = city.who(city.county_gov, Role.HANDLER), city.who(city.county_gov, Role.APPROVER)
    review = documents.draft(case, "review_opinion", handler, now=at("2026-05-06"))
    review = documents.update(
        review,
        {
            "opinion": "维持甲县住房和城乡建设局作出的处理意见。",
            "legal_basis": "《信访工作条例》第三十五条",
            "facts_and_reasons": "经复查，原处理意见认定事实清楚。",
            "changed": "否",
        },
        handler,
        now=at("2026-05-06"),
    )
    review = documents.approve(review, approver, now=at("2026-05-07"))
    review = documents.issue(review, handler, now=at("2026-05-07"))
    documents.serve(review, handler, method="in_person", served_on=dt.date(2026, 5, 8), now=at("2026-05-08"))
    case.refresh_from_db()
    return perform(
        case,
        "request_re_review",
        city.who(city.gov, Role.REGISTRAR),
        {"received_on": "2026-05-20"},
        now=at("2026-05-20"),
    )
