"""The three recommendations (条例 Art. 40): draft → issued (numbered 建议书) → served → written feedback; the
`recommendation_reply` period (30 days by default, not statutory) runs from service and late feedback is flagged.
A recommendation to pursue responsibility is seen only by the issuing bureau and the addressee."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.test import override_settings

from tests.factories import at, build_city
from tests.supervision.helpers import accepted
from xinfang.audit.models import Event
from xinfang.deadlines.selectors import _cache
from xinfang.documents.selectors import case_documents, visible_document
from xinfang.org.models import Role
from xinfang.supervision import selectors, services
from xinfang.supervision.models import RecState

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def city():
    return build_city()


def _draft(city, kind: str = "improve", day: str = "2026-03-10"):
    case = accepted(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    rec = services.draft_recommendation(
        supervisor,
        kind=kind,
        addressee=city.county_housing,
        cases=[case],
        problem="处理意见书未告知请求复查的权利",
        suggestion="逐件补正并规范处理意见书",
        now=at(day),
    )
    return case, supervisor, rec


def test_from_draft_to_feedback_with_late_feedback_flagged(city) -> None:
    _case, supervisor, rec = _draft(city)
    assert rec.state == RecState.DRAFT and rec.letter is not None and rec.letter.organ == city.county_bureau
    rec = services.issue_recommendation(rec, supervisor, now=at("2026-03-11"))
    assert rec.letter is not None
    assert rec.state == RecState.ISSUED and rec.letter.number == "甲县信访局信建〔2026〕1号"
    rec = services.serve_recommendation(rec, supervisor, served_on=D("2026-03-12"), now=at("2026-03-12"))
    # 30 days from 12 March: 11 April is a Saturday, so the legal last day is Monday 13 April.
    assert (rec.state, rec.feedback_due) == (RecState.SERVED, D("2026-04-13"))
    assert services.scan(D("2026-04-13")) == (0, 0, 0)
    assert services.scan(D("2026-04-14")) == (0, 1, 0)
    assert services.scan(D("2026-04-15")) == (0, 0, 0)
    rec.refresh_from_db()
    assert rec.late_since == D("2026-04-14") and selectors.is_late(rec, D("2026-04-14"))
    handler = city.who(city.county_housing, Role.HANDLER)
    rec = services.record_feedback(rec, handler, adopted=True, text="已采纳，逐件补正。", now=at("2026-04-20"))
    assert (rec.state, rec.adopted, rec.late_since) == (RecState.ANSWERED, True, D("2026-04-14"))
    assert not selectors.is_late(rec, D("2026-05-01"))
    actions = list(
        Event.objects.filter(payload__recommendation=rec.pk).order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        "draft_recommendation",
        "issue_recommendation",
        "serve_recommendation",
        "recommendation_feedback_late",
        "record_recommendation_feedback",
    ]


@override_settings(XINFANG_RULE_OVERRIDES={"recommendation_reply": 20})
def test_the_feedback_period_is_configurable(city) -> None:
    _cache.clear()
    try:
        _case, supervisor, rec = _draft(city)
        rec = services.issue_recommendation(rec, supervisor, now=at("2026-03-11"))
        rec = services.serve_recommendation(rec, supervisor, served_on=D("2026-03-12"), now=at("2026-03-12"))
        assert rec.feedback_due == D("2026-04-01")  # 12 March + 20 days (a Wednesday)
    finally:
        _cache.clear()


def test_steps_are_refused_out_of_order_and_to_others(city) -> None:
    _case, supervisor, rec = _draft(city)
    handler = city.who(city.county_housing, Role.HANDLER)
    with pytest.raises(services.SupervisionRefused, match="已送达"):
        services.record_feedback(rec, handler, adopted=True, text="x", now=at("2026-03-11"))
    with pytest.raises(services.SupervisionRefused, match="印发"):
        services.serve_recommendation(rec, supervisor, served_on=D("2026-03-11"), now=at("2026-03-11"))
    with pytest.raises(services.SupervisionRefused):
        services.issue_recommendation(rec, city.who(city.bureau, Role.SUPERVISOR), now=at("2026-03-11"))
    rec = services.issue_recommendation(rec, supervisor, now=at("2026-03-11"))
    rec = services.serve_recommendation(rec, supervisor, served_on=D("2026-03-11"), now=at("2026-03-11"))
    with pytest.raises(services.SupervisionRefused, match="书面反馈"):
        services.record_feedback(rec, city.who(city.county_land, Role.HANDLER), adopted=True, text="x")
    with pytest.raises(services.SupervisionRefused, match="书面反馈"):
        services.record_feedback(rec, handler, adopted=False, text=" ", now=at("2026-03-12"))
    with pytest.raises(services.SupervisionRefused, match="提出建议"):
        services.draft_recommendation(
            supervisor, kind="policy", addressee=city.other_county_housing, cases=[], problem="x", suggestion="y"
        )


def test_the_policy_recommendation_goes_to_the_bureaus_own_government(city) -> None:
    case = accepted(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    rec = services.draft_recommendation(
        supervisor,
        kind="policy",
        addressee=city.county_gov,
        cases=[case],
        problem="补偿标准偏低",
        suggestion="调整标准",
    )
    assert rec.letter is not None and rec.letter.content["kind"] == "完善政策的建议"
    assert city.county_gov in selectors.addressable_organs(supervisor)


def test_a_recommendation_to_pursue_responsibility_is_confidential_to_the_organs_concerned(city) -> None:
    case, supervisor, rec = _draft(city, kind="accountability")
    rec = services.issue_recommendation(rec, supervisor, now=at("2026-03-11"))
    handler = city.who(city.county_housing, Role.HANDLER)
    assert selectors.recommendation_for(supervisor, rec.pk) == rec
    assert selectors.recommendation_for(handler, rec.pk) == rec
    # The county government oversees both, the city bureau oversees the county: neither is concerned.
    for outsider in (city.who(city.county_gov, Role.LEADER), city.who(city.bureau, Role.SUPERVISOR)):
        assert selectors.recommendation_for(outsider, rec.pk) is None
    # The letter is not on the case's document list, and its page opens only for the issuing bureau.
    assert rec.letter is not None
    assert rec.letter not in case_documents(case)
    assert visible_document(supervisor, rec.letter.pk) == rec.letter
    with pytest.raises(Http404):
        visible_document(handler, rec.letter.pk)
    # Its events name no case.
    assert not Event.objects.filter(payload__recommendation=rec.pk, case_id__isnull=False).exists()
    # An improvement recommendation is seen by the county government as well.
    _c, _s, improve = _draft(city, kind="improve")
    assert selectors.recommendation_for(city.who(city.county_gov, Role.LEADER), improve.pk) == improve


def test_the_documents_page_does_not_serve_a_recommendation_around_its_feedback_period(city) -> None:
    """Serving a 建议书 starts the addressee's feedback period; the general documents page offers no service form
    for it and refuses a posted one, so a 建议书 is never served without its period."""
    from django.test import Client

    _case, supervisor, rec = _draft(city)
    rec = services.issue_recommendation(rec, supervisor, now=at("2026-03-11"))
    assert rec.letter is not None
    client = Client()
    client.force_login(supervisor.user)
    page = client.get(f"/work/documents/{rec.letter.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="served-in-supervision"' in text and 'data-testid="serve-form"' not in text
    answer = client.post(
        f"/work/documents/{rec.letter.pk}/serve/", {"method": "in_person", "served_on": "2026-03-12"}, follow=True
    )
    assert "三项建议" in answer.content.decode()
    rec.refresh_from_db()
    rec.letter.refresh_from_db()
    assert rec.state == RecState.ISSUED and rec.feedback_due is None and rec.letter.status == "issued"
