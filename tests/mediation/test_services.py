"""访调对接 (《信访工作条例》第三十三条): referral with consent, sessions, the agreement settles, failure resumes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import at, build_city, register
from tests.mediation.helpers import AGREED, committee, investigating, referred, settle
from xinfang.audit.models import Event
from xinfang.documents import services as documents
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Clock
from xinfang.lifecycle.states import State
from xinfang.mediation import selectors, services
from xinfang.mediation.models import Outcome
from xinfang.org.models import Role
from xinfang.portal.selectors import served_documents

pytestmark = pytest.mark.django_db


def test_referral_records_the_consent_and_moves_the_case_into_mediation() -> None:
    city = build_city()
    case = investigating(city)
    referral = referred(city, case)
    case.refresh_from_db()
    assert case.state == State.MEDIATION and case.resume_state == State.INVESTIGATING
    assert referral.consent == "信访人王某某和征收服务中心均书面同意调解"
    assert referral.consent_on == dt.date(2026, 3, 5)
    event = Event.objects.get(action="refer_to_mediation")
    assert event.case_id == case.pk and event.basis == "《信访工作条例》第三十三条"
    assert Event.objects.filter(action="start_mediation", case_id=case.pk).count() == 1


def test_referral_needs_a_grievance_a_consent_and_a_body() -> None:
    city = build_city()
    handler = city.who(city.county_housing, Role.HANDLER)
    case = investigating(city)
    body, _ = committee(city)
    common: dict[str, Any] = dict(
        mode="mediation", other_party="某公司", consent="双方同意", consent_on=dt.date(2026, 3, 5)
    )
    with pytest.raises(services.MediationRefused, match="同意的情况"):
        services.refer(case, handler, **{**common, "consent": " "}, body=body, now=at("2026-03-05"))
    with pytest.raises(services.MediationRefused, match="同意日期"):
        services.refer(case, handler, **{**common, "consent_on": dt.date(2026, 3, 6)}, body=body, now=at("2026-03-05"))
    with pytest.raises(services.MediationRefused, match="调解组织"):
        services.refer(case, handler, **common, now=at("2026-03-05"))
    suggestion = register(city, city.county_housing)
    triage = city.who(city.county_housing, Role.TRIAGE_OFFICER)
    perform(suggestion, "triage", triage, {"category": "suggestion"})
    suggestion.refresh_from_db()
    with pytest.raises(services.MediationRefused, match="申诉求决类"):
        services.refer(suggestion, handler, **common, body=body, now=at("2026-03-05"))
    # A registrar may not refer: the table's roles decide (handlers and heads of the handling organ).
    with pytest.raises(services.MediationRefused, match="只有"):
        services.refer(case, city.who(city.county_housing, Role.REGISTRAR), **common, body=body, now=at("2026-03-05"))
    case.refresh_from_db()
    assert case.state == State.INVESTIGATING


def test_settle_without_an_issued_agreement_is_refused_citing_article_33() -> None:
    city = build_city()
    case = investigating(city)
    referred(city, case)
    with pytest.raises(Refused, match="第三十三条"):
        perform(case, "settle", city.who(city.county_housing, Role.HANDLER), {"agreement": "双方已口头达成一致"})


def test_issuing_the_agreement_settles_the_case_and_the_served_agreement_reaches_the_portal() -> None:
    city = build_city()
    case = investigating(city)
    referral = referred(city, case)
    document = settle(city, referral)
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.state == State.SETTLED
    assert (
        document.kind == "mediation_agreement"
        and document.number == f"{city.county_housing.document_code}信调〔2026〕1号"
    )
    assert document.content["parties"] == "申请人（信访人）：王某某；对方当事人：甲县某房屋征收服务中心"
    assert document.content["mediator"] == "甲县城关镇人民调解委员会，调解员李调解"
    assert referral.settled and referral.status_label == "达成协议"
    handling = Clock.objects.get(case=case, rule="handling")
    assert handling.status == "met"
    settled = Event.objects.get(action="settle", case_id=case.pk)
    assert settled.payload["agreement"] == AGREED["terms"]
    assert list(served_documents(case.petition)) == []  # issued, not yet served
    handler = city.who(city.county_housing, Role.HANDLER)
    documents.serve(document, handler, method="in_person", served_on=dt.date(2026, 3, 12), now=at("2026-03-12", 17))
    assert [d.pk for d in served_documents(case.petition)] == [document.pk]


def test_an_agreement_without_the_parties_signatures_is_not_issued() -> None:
    city = build_city()
    case = investigating(city)
    referral = referred(city, case)
    with pytest.raises(documents.DocumentRefused, match="当事人签名"):
        settle(city, referral, signatures="")
    case.refresh_from_db()
    assert case.state == State.MEDIATION


def test_a_failed_mediation_returns_to_handling_and_its_days_count_in_the_handling_period() -> None:
    city = build_city()
    case = investigating(city)
    due_before = Clock.objects.get(case=case, rule="handling").due
    referral = referred(city, case, "2026-03-05")
    handler = city.who(city.county_housing, Role.HANDLER)
    with pytest.raises(services.MediationRefused, match="未成原因"):
        services.end_without_agreement(referral, handler, reason="", now=at("2026-03-20"))
    services.end_without_agreement(referral, handler, reason="对方不同意补偿数额", now=at("2026-03-20"))
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.state == State.INVESTIGATING and referral.outcome == Outcome.FAILED
    clock = Clock.objects.get(case=case, rule="handling")
    assert clock.status == "running" and clock.due == due_before  # Art. 33 excludes no time
    assert Event.objects.get(action="end_mediation_without_agreement").payload["days_in_mediation"] == 15
    with pytest.raises(services.MediationRefused, match="已经结束"):
        services.record_session(
            referral,
            handler,
            held_on=dt.date(2026, 3, 20),
            place="调解室",
            attendees="双方",
            notes="再谈",
            now=at("2026-03-20"),
        )


def test_only_the_handling_organ_records_sessions_and_other_counties_do_not_see_the_referral() -> None:
    city = build_city()
    case = investigating(city)
    referral = referred(city, case)
    other = city.who(city.other_county_housing, Role.HANDLER)
    with pytest.raises(services.MediationRefused, match="甲县住房和城乡建设局"):
        services.record_session(
            referral,
            other,
            held_on=dt.date(2026, 3, 6),
            place="调解室",
            attendees="双方",
            notes="谈",
            now=at("2026-03-06"),
        )
    assert selectors.referral_for(other, referral.pk) is None
    assert list(selectors.referrals(other)) == []
    assert selectors.referral_for(city.who(city.county_housing, Role.HANDLER), referral.pk) == referral


def test_judicial_confirmation_only_for_an_issued_mediation_agreement() -> None:
    city = build_city()
    case = investigating(city)
    referral = referred(city, case)
    handler = city.who(city.county_housing, Role.HANDLER)
    confirm: dict[str, Any] = dict(
        court="甲县人民法院", confirmed_on=dt.date(2026, 3, 20), number="（2026）甲0102民特1号"
    )
    with pytest.raises(services.MediationRefused, match="已印发的调解协议书"):
        services.record_judicial_confirmation(referral, handler, **confirm, now=at("2026-03-20"))
    settle(city, referral)
    services.record_judicial_confirmation(referral, handler, **confirm, now=at("2026-03-20"))
    referral.refresh_from_db()
    assert (referral.confirmed_by_court, referral.confirmed_on) == ("甲县人民法院", dt.date(2026, 3, 20))


def test_counts_referred_settled_failed_and_the_share_of_accepted_grievances() -> None:
    city = build_city()
    handler = city.who(city.county_housing, Role.HANDLER)
    cases = [investigating(city) for _ in range(4)]
    first = referred(city, cases[0])
    settle(city, first)
    body = first.body
    second = services.refer(
        cases[1],
        handler,
        mode="mediation",
        body=body,
        other_party="某公司",
        consent="双方同意",
        consent_on=dt.date(2026, 3, 5),
        now=at("2026-03-05"),
    )
    services.end_without_agreement(second, handler, reason="未达成一致", now=at("2026-03-09"))
    services.refer(
        cases[2],
        handler,
        mode="settlement",
        other_party="某公司",
        consent="双方同意和解",
        consent_on=dt.date(2026, 3, 5),
        now=at("2026-03-05"),
    )
    counts = selectors.counts(handler, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (counts.referred, counts.settled, counts.failed, counts.pending, counts.grievances) == (3, 1, 1, 1, 4)
    assert counts.settled_share == pytest.approx(1 / 3) and counts.referred_share == pytest.approx(3 / 4)
    outside = selectors.counts(
        city.who(city.other_county_housing, Role.HANDLER), dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    assert (outside.referred, outside.grievances, outside.settled_share) == (0, 0, None)
