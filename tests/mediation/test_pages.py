"""The mediation pages: the case page's section, referring with consent, sessions, the agreement, the counts."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city
from tests.mediation.helpers import committee, investigating, referred, settle
from xinfang.lifecycle.states import State
from xinfang.mediation.models import Referral
from xinfang.org.models import Role, Staff

pytestmark = pytest.mark.django_db


def _client(person: Staff) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_a_handler_refers_from_the_case_page_and_records_a_session() -> None:
    city = build_city()
    case = investigating(city)
    body, mediator = committee(city)
    handler = _client(city.who(city.county_housing, Role.HANDLER))
    with time_machine.travel(at("2026-03-05"), tick=False):
        page = handler.get(f"/work/cases/{case.pk}/").content.decode()
        assert "移交调解（访调对接）" in page and "甲县城关镇人民调解委员会" in page
        # A registrar of the same organ reads the case but is not offered the referral.
        registrar_page = _client(city.who(city.county_housing, Role.REGISTRAR)).get(f"/work/cases/{case.pk}/")
        assert "移交调解（访调对接）" not in registrar_page.content.decode()
        missing = handler.post(
            f"/work/mediation/cases/{case.pk}/refer/",
            {"refer-mode": "mediation", "refer-body": body.pk, "refer-consent": "", "refer-consent_on": "2026-03-05"},
            follow=True,
        )
        assert "未能移交调解" in missing.content.decode() and "「对方当事人」" in missing.content.decode()
        response = handler.post(
            f"/work/mediation/cases/{case.pk}/refer/",
            {
                "refer-mode": "mediation",
                "refer-body": body.pk,
                "refer-mediator": mediator.pk,
                "refer-other_party": "甲县某房屋征收服务中心",
                "refer-consent": "双方书面同意调解",
                "refer-consent_on": "2026-03-05",
            },
        )
        referral = Referral.objects.get(case=case)
        assert response.status_code == 302 and response["Location"] == f"/work/mediation/{referral.pk}/"
        response = handler.post(
            f"/work/mediation/{referral.pk}/sessions/",
            {
                "session-held_on": "2026-03-05",
                "session-place": "城关镇人民调解室",
                "session-attendees": "王某某；张某；李调解",
                "session-notes": "双方同意分期支付。",
            },
            follow=True,
        )
        detail = response.content.decode()
        assert "已登记调解记录" in detail and "城关镇人民调解室" in detail
        response = handler.post(f"/work/mediation/{referral.pk}/agreement/")
        referral.refresh_from_db()
        assert referral.agreement is not None
        assert response["Location"] == f"/work/documents/{referral.agreement.pk}/"
    case.refresh_from_db()
    assert case.state == State.MEDIATION


def test_another_county_cannot_open_the_referral_and_the_index_counts_what_the_user_may_read() -> None:
    city = build_city()
    case = investigating(city)
    referral = referred(city, case)
    settle(city, referral)
    with time_machine.travel(at("2026-03-20"), tick=False):
        other = _client(city.who(city.other_county_housing, Role.HANDLER))
        assert other.get(f"/work/mediation/{referral.pk}/").status_code == 404
        assert other.post(f"/work/mediation/{referral.pk}/end/", {"end-reason": "x"}).status_code == 404
        assert case.petition.number not in other.get("/work/mediation/").content.decode()
        mine = _client(city.who(city.county_housing, Role.HANDLER))
        index = mine.get("/work/mediation/").content.decode()
        assert case.petition.number in index and "达成协议" in index
        page = mine.get(f"/work/cases/{case.pk}/").content.decode()
        assert 'data-testid="mediation-status">达成协议<' in page
        detail = mine.get(f"/work/mediation/{referral.pk}/").content.decode()
        assert "司法确认（可选）" in detail
        mine.post(
            f"/work/mediation/{referral.pk}/confirmation/",
            {
                "confirm-court": "甲县人民法院",
                "confirm-confirmed_on": "2026-03-19",
                "confirm-number": "（2026）甲0102民特1号",
            },
        )
        assert "（2026）甲0102民特1号" in mine.get(f"/work/mediation/{referral.pk}/").content.decode()
