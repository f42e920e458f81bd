"""Cases assigned from higher levels must be reported back before the date the assigning level set; backlog
campaigns list cases with owners and count progress."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import at, build_city
from tests.supervision.helpers import accepted
from xinfang.audit.models import Event
from xinfang.org.models import Role
from xinfang.supervision import selectors, services
from xinfang.supervision.models import Level

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def test_a_provincial_assignment_reported_late_is_flagged_one_in_time_is_not() -> None:
    city = build_city()
    late_case, kept_case = accepted(city), accepted(city, request="请求维修漏水屋面")
    clerk = city.who(city.county_bureau, Role.TRIAGE_OFFICER)
    handler = city.who(city.county_housing, Role.HANDLER)
    late = services.record_assignment(
        late_case,
        clerk,
        level=Level.PROVINCIAL,
        reference="省信访局交〔2026〕53号",
        requirement="请查处并报结",
        report_due=D("2026-04-10"),
        now=at("2026-03-10"),
    )
    kept = services.record_assignment(
        kept_case,
        clerk,
        level=Level.NATIONAL,
        reference="国信办〔2026〕2号",
        requirement="请报结",
        report_due=D("2026-04-10"),
        now=at("2026-03-10"),
    )
    services.report_assignment(kept, handler, "已办结，处理意见书已送达。", now=at("2026-04-09"))
    assert services.scan(D("2026-04-10")) == (0, 0, 0)  # the due date itself is still in time
    assert services.scan(D("2026-04-11")) == (0, 0, 1)  # the provincial one, not reported back
    late.refresh_from_db()
    assert late.late_since == D("2026-04-11")
    services.report_assignment(late, handler, "已办结。", now=at("2026-04-15"))
    event = Event.objects.filter(action="report_higher_assignment", payload__assignment=late.pk).get()
    assert event.payload["late"] is True
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    assert [a.pk for a in selectors.assignments_for(supervisor, level=Level.NATIONAL)] == [kept.pk]
    assert [a.pk for a in selectors.assignments_for(supervisor, status="late", today=D("2026-04-12"))] == []
    assert {a.pk for a in selectors.assignments_for(supervisor, status="reported")} == {kept.pk, late.pk}


def test_who_records_and_reports_and_the_due_date_must_be_ahead() -> None:
    city = build_city()
    case = accepted(city)
    clerk = city.who(city.county_bureau, Role.TRIAGE_OFFICER)
    with pytest.raises(services.AssignmentRefused, match="报结期限"):
        services.record_assignment(
            case,
            clerk,
            level="provincial",
            reference="x",
            requirement="",
            report_due=D("2026-03-10"),
            now=at("2026-03-10"),
        )
    with pytest.raises(services.AssignmentRefused):
        services.record_assignment(
            case,
            city.who(city.other_county_housing, Role.REGISTRAR),
            level="provincial",
            reference="x",
            requirement="",
            report_due=D("2026-04-10"),
            now=at("2026-03-10"),
        )
    assignment = services.record_assignment(
        case,
        clerk,
        level="city",
        reference="市交〔2026〕1号",
        requirement="",
        report_due=D("2026-04-10"),
        now=at("2026-03-10"),
    )
    with pytest.raises(services.AssignmentRefused, match="甲县住房和城乡建设局"):
        services.report_assignment(assignment, city.who(city.county_land, Role.HANDLER), "x")


def test_a_backlog_campaign_counts_its_progress() -> None:
    city = build_city()
    first, second = accepted(city), accepted(city, request="请求解决历史遗留的房产证问题")
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    campaign = services.create_campaign(
        supervisor,
        name="2026年积案化解攻坚",
        target="年底前化解率达到九成",
        ends_on=D("2026-12-31"),
        entries=[(first, "李副局长"), (second, "王科长")],
        now=at("2026-03-10"),
    )
    entry = campaign.entries.get(case=first)
    services.record_progress(entry, supervisor, resolved=True, note="已签订和解协议", now=at("2026-05-10"))
    [row] = selectors.campaigns_for(supervisor)
    assert (row.campaign, row.total, row.resolved) == (campaign, 2, 1)
    with pytest.raises(services.AssignmentRefused, match="包案责任人"):
        services.create_campaign(supervisor, name="x", target="y", ends_on=D("2026-12-31"), entries=[(first, " ")])
