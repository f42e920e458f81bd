"""Lawyers on duty: the rota, the consultation log, a written opinion on a re-review case, counts per month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests.factories import at, build_city
from tests.mediation.helpers import investigating, re_review_case
from xinfang.audit.models import Event
from xinfang.lifecycle.states import State
from xinfang.mediation import selectors, services
from xinfang.mediation.models import LawyerDuty
from xinfang.org.models import Organ, Role

pytestmark = pytest.mark.django_db


def _duty(organ: Organ, lawyer: str = "孙正衡", first: str = "2026-05-01", last: str = "2026-06-30") -> LawyerDuty:
    return services.add_duty(
        organ,
        lawyer=lawyer,
        firm="西地正衡律师事务所",
        place="市信访局接待大厅律师值班室",
        starts_on=dt.date.fromisoformat(first),
        ends_on=dt.date.fromisoformat(last),
    )


def test_a_consultation_is_recorded_by_the_organ_where_the_lawyer_sits_during_the_duty() -> None:
    city = build_city()
    duty = _duty(city.bureau)
    clerk = city.who(city.bureau, Role.REGISTRAR)
    common: dict[str, Any] = dict(
        petitioner="钱某某",
        question="工伤认定被拒怎么办",
        advice="可申请行政复议或提起行政诉讼",
        channel="reconsideration",
    )
    with pytest.raises(services.MediationRefused, match="值班时间"):
        services.record_consultation(duty, clerk, **common, now=at("2026-07-01"))
    with pytest.raises(services.MediationRefused, match="西地市信访局"):
        services.record_consultation(duty, city.who(city.county_bureau, Role.REGISTRAR), **common, now=at("2026-05-04"))
    with pytest.raises(services.MediationRefused, match="律师意见"):
        services.record_consultation(duty, clerk, **{**common, "advice": ""}, now=at("2026-05-04"))
    with pytest.raises(services.MediationRefused, match="结束日期"):
        _duty(city.bureau, first="2026-05-02", last="2026-05-01")
    made = services.record_consultation(duty, clerk, **common, headcount=3, now=at("2026-05-04"))
    assert made.get_channel_display() == "行政复议"
    assert Event.objects.get(action="record_lawyer_consultation").payload["lawyer"] == "孙正衡"


def test_an_opinion_only_on_a_review_or_re_review_case_and_both_show_on_the_case_page() -> None:
    city = build_city()
    duty = _duty(city.gov, first="2026-05-01", last="2026-06-30")
    early = investigating(city)
    handler = city.who(city.gov, Role.HANDLER)
    with pytest.raises(services.MediationRefused, match="复查或复核"):
        services.record_opinion(
            early, duty, handler, opinion="意见", given_on=dt.date(2026, 5, 21), now=at("2026-05-21")
        )
    case = re_review_case(city)
    assert case.state == State.RE_REVIEW_REQUESTED and case.acting_organ == city.gov
    with pytest.raises(services.MediationRefused, match="西地市人民政府"):
        services.record_opinion(
            case,
            duty,
            city.who(city.county_gov, Role.HANDLER),
            opinion="意见",
            given_on=dt.date(2026, 5, 21),
            now=at("2026-05-21"),
        )
    services.record_opinion(
        case,
        duty,
        handler,
        opinion="原处理意见和复查意见认定事实清楚，适用依据正确，建议维持。",
        given_on=dt.date(2026, 5, 21),
        now=at("2026-05-21"),
    )
    consult = services.record_consultation(
        duty,
        city.who(city.gov, Role.REGISTRAR),
        petitioner="王某某",
        question="复核还能提出哪些新证据",
        advice="可提交补偿款未到账的银行流水",
        channel="petition",
        case=case,
        now=at("2026-05-22"),
    )
    client = Client()
    client.force_login(handler.user)
    with time_machine.travel(at("2026-05-22", 15), tick=False):
        page = client.get(f"/work/cases/{case.pk}/").content.decode()
    assert "律师咨询：孙正衡（西地正衡律师事务所）" in page and consult.question in page
    assert "律师法律意见：孙正衡" in page and "建议维持" in page
    assert 'data-action="lawyer_opinion"' in page  # the re-review organ's handler may attach another


def test_counts_per_lawyer_and_month() -> None:
    city = build_city()
    clerk = city.who(city.bureau, Role.REGISTRAR)
    sun, li = _duty(city.bureau), _duty(city.bureau, lawyer="李法明")
    common: dict[str, Any] = dict(petitioner="某", question="问", advice="答", channel="litigation")
    services.record_consultation(sun, clerk, **common, headcount=2, now=at("2026-05-04"))
    services.record_consultation(sun, clerk, **common, now=at("2026-05-20"))
    services.record_consultation(sun, clerk, **common, now=at("2026-06-02"))
    services.record_consultation(li, clerk, **common, now=at("2026-06-03"))
    rows = [(r.month, r.lawyer, r.consultations, r.people, r.opinions) for r in selectors.counts_by_lawyer(clerk, 2026)]
    assert rows == [("2026-05", "孙正衡", 2, 3, 0), ("2026-06", "孙正衡", 1, 1, 0), ("2026-06", "李法明", 1, 1, 0)]
    assert selectors.counts_by_lawyer(city.who(city.other_county_gov, Role.ANALYST), 2026) == []
    client = Client()
    client.force_login(clerk.user)
    with time_machine.travel(at("2026-06-03", 15), tick=False):
        page = client.get("/work/mediation/lawyers/").content.decode()
    assert "李法明" in page and "登记咨询" in page
