"""Each category walked from registration to its terminal state, moving the clock (time-machine)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine

from tests.factories import City, at, build_city, register
from tests.lifecycle.legal_world import notice
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case, Clock, ClockStatus
from xinfang.lifecycle.permissions import can_see_identity, can_view_case
from xinfang.lifecycle.scan import scan_deadlines
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@contextmanager
def on(day: str, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(at(day, hour), tick=False):
        yield


def clock(case: Case, rule: str) -> Clock:
    return case.clocks.filter(rule=rule).order_by("-pk").first()  # type: ignore[return-value]


def act(case: Case, name: str, who: object, day: str, **payload: object) -> Case:
    with on(day):
        return perform(case, name, who, payload)  # type: ignore[arg-type]


def test_grievance_from_visit_to_final_and_not_reaccepted() -> None:
    city = build_city()
    tri = city.who(city.bureau, Role.TRIAGE_OFFICER)
    k_tri, k_han = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    k_reg, approver = city.who(city.county_housing, Role.REGISTRAR), city.who(city.county_housing, Role.APPROVER)

    case = register(city, when="2026-03-02")  # a visit at the city bureau, Monday
    d1 = clock(case, "bureau_disposition")
    assert (d1.start, d1.due, d1.legal_last_day, d1.organ) == (
        D("2026-03-02"),
        D("2026-03-17"),
        D("2026-03-17"),
        city.bureau,
    )

    act(case, "triage", tri, "2026-03-03", category="grievance")
    case = act(case, "transfer", tri, "2026-03-04", target_organ=city.county_housing)
    assert case.state == "transferred" and clock(case, "bureau_disposition").status == "met"
    county = case.children.get()
    assert clock(county, "receipt_notice").due == D("2026-03-19")  # 15 days from receipt (Art. 23(3))
    assert clock(county, "transfer_objection").due == D("2026-03-11")  # 5 working days

    act(county, "triage", k_tri, "2026-03-05", category="grievance")
    county = act(county, "accept", k_tri, "2026-03-05")
    assert clock(county, "transfer_objection").status == "cancelled"
    act(
        county,
        "record_notice",
        k_reg,
        "2026-03-05",
        served_on="2026-03-05",
        method="当面",
        **notice(county, "receipt_notice"),
    )
    assert clock(county, "receipt_notice").status == "met"
    handling = clock(county, "handling")  # Art. 34: "自受理之日起", running from acceptance
    county = act(county, "investigate", k_han, "2026-03-05")
    assert clock(county, "handling").pk == handling.pk
    # 60 days from acceptance end on May 4, inside the Labour Day holiday (May 1–5): legal last day May 6.
    assert (handling.due, handling.legal_last_day) == (D("2026-05-04"), D("2026-05-06"))

    told = notice(county, "extension_notice")
    with pytest.raises(Refused, match="只有审批负责人可以执行“延期办理”"):
        act(county, "extend", k_han, "2026-04-20", reason="需补充测绘", days=30, **told)
    with pytest.raises(Refused, match="须出具并送达延期告知书"):  # Art. 34: "并告知信访人延期理由"
        act(county, "extend", approver, "2026-04-20", reason="需补充测绘", days=30)
    county = act(county, "extend", approver, "2026-04-20", reason="需补充测绘", days=30, **told)
    extension = clock(county, "handling_extension")
    assert clock(county, "handling").status == "extended"
    assert (extension.start, extension.due) == (D("2026-05-04"), D("2026-06-03"))
    act(county, "start_hearing", k_han, "2026-05-10")  # the hearing does not pause the handling period
    county = act(county, "end_hearing", k_han, "2026-05-11", conclusion="事实清楚")
    assert county.state == "extended"  # back to where the hearing came from
    # Art. 34: "延长期限不得超过30日": the 30 days are used up, a further extension is refused.
    with pytest.raises(Refused, match="延长期限累计不得超过30日：已延长30日"):
        act(county, "extend", approver, "2026-05-12", reason="再延", days=10, **told)

    with on("2026-05-31"):
        assert scan_deadlines().reminders_queued >= 1  # 3 days before June 3
    assert extension.reminders.filter(days_before=3).count() == 1

    county = act(
        county,
        "issue_opinion",
        k_han,
        "2026-06-02",
        outcome="not_upheld",
        facts="补偿款已按协议足额支付",
        reasons="申请人所述欠款不存在",
        legal_basis="征收补偿协议第五条",
    )
    assert clock(county, "handling_extension").status == "met" and not clock(county, "handling_extension").late
    county = act(
        county,
        "serve_opinion",
        k_han,
        "2026-06-05",
        served_on="2026-06-05",
        method="邮寄",
        **notice(county, "handling_opinion"),
    )
    window = clock(county, "review_request")
    assert (window.party, window.due, window.legal_last_day) == ("petitioner", D("2026-07-05"), D("2026-07-06"))

    county_gov_reg = city.who(city.county_gov, Role.REGISTRAR)
    with pytest.raises(Refused, match="须由甲县人民政府的工作人员办理"):
        act(county, "request_review", city.who(city.gov, Role.REGISTRAR), "2026-07-03", received_on="2026-07-03")
    county = act(county, "request_review", county_gov_reg, "2026-07-03", received_on="2026-07-03")
    review = clock(county, "review")
    assert (county.review_organ, county.acting_organ, review.organ) == (
        city.county_gov,
        city.county_gov,
        city.county_gov,
    )
    assert (review.due, review.legal_last_day) == (D("2026-08-02"), D("2026-08-03"))

    county = act(
        county,
        "decide_review",
        city.who(city.county_gov, Role.HANDLER),
        "2026-07-30",
        decision="维持原处理意见",
        changed="否",
        served_on="2026-07-30",
        **notice(county, "review_opinion"),
    )
    assert clock(county, "re_review_request").legal_last_day == D("2026-08-31")  # Aug 29 is a Saturday

    county = act(
        county, "request_re_review", city.who(city.gov, Role.REGISTRAR), "2026-08-20", received_on="2026-08-20"
    )
    re_review = clock(county, "re_review")
    # Aug 20 + 30 = Sat Sept 19; Sunday Sept 20 is a 调休 working day, so the legal last day is Sept 20.
    assert (re_review.due, re_review.legal_last_day, re_review.organ) == (D("2026-09-19"), D("2026-09-20"), city.gov)

    g_han = city.who(city.gov, Role.HANDLER)
    county = act(county, "start_re_review_hearing", g_han, "2026-09-01")
    assert clock(county, "re_review").status == "paused"
    with on("2026-09-25"):
        assert scan_deadlines().overdue_marked == 0  # a paused clock is never overdue
    county = act(county, "end_re_review_hearing", g_han, "2026-09-03", conclusion="听证认为原意见正确")
    re_review = clock(county, "re_review")
    assert re_review.pauses == [["2026-09-01", "2026-09-03"]]
    assert (re_review.due, re_review.legal_last_day) == (D("2026-09-22"), D("2026-09-22"))

    county = act(
        county,
        "issue_re_review_opinion",
        g_han,
        "2026-09-15",
        decision="维持复查意见",
        changed="否",
        **notice(county, "re_review_opinion"),
    )
    assert county.state == "final" and county.matter.final_at is not None
    assert not Clock.objects.filter(case=county, status=ClockStatus.RUNNING).exists()

    # The same facts and reasons again: registered, then not re-accepted (Art. 36(3)).
    again = register(city, when="2026-10-12", matter_id=county.matter_id)
    assert again.petition.is_repeat and again.state == "registered"
    act(again, "triage", tri, "2026-10-12", category="grievance")
    with pytest.raises(Refused, match="须由工作人员确认仍然以同一事实和理由提出"):
        act(again, "not_reaccept", tri, "2026-10-12", same_facts_confirmed=False, guidance="疏导")
    again = act(
        again,
        "not_reaccept",
        tri,
        "2026-10-12",
        same_facts_confirmed=True,
        guidance="已复核终结，不再受理，做好疏导教育",
    )
    assert again.state == "not_reaccepted"

    actions = list(Event.objects.filter(case_id=county.pk).values_list("action", flat=True))
    assert actions[:4] == ["receive", "register", "triage", "accept"] and actions[-1] == "issue_re_review_opinion"
    assert first_problem() is None


def test_suggestion_with_a_late_receipt_notice() -> None:
    city = build_city()
    k_reg, k_tri = city.who(city.county_housing, Role.REGISTRAR), city.who(city.county_housing, Role.TRIAGE_OFFICER)
    case = register(
        city,
        city.county_housing,
        when="2026-09-24",
        channel="letter",
        request="建议在幸福路增设公交站",
        facts="附近居民出行不便",
        reasons="方便群众",
    )
    receipt = clock(case, "receipt_notice")
    assert (receipt.due, receipt.legal_last_day) == (D("2026-10-09"), D("2026-10-09"))  # National Day Oct 1–7
    assert not case.clocks.filter(rule="bureau_disposition").exists()  # not a petition bureau
    act(case, "triage", k_tri, "2026-09-25", category="suggestion")
    act(case, "accept", k_tri, "2026-09-25")
    case = act(case, "start_suggestion_review", city.who(city.county_housing, Role.HANDLER), "2026-09-28")

    with on("2026-10-09", 23):
        assert scan_deadlines().overdue_marked == 0  # the last day itself is still in time
    with on("2026-10-10"):
        assert scan_deadlines().overdue_marked == 1
    case.refresh_from_db()
    assert case.overdue and clock(case, "receipt_notice").overdue
    overdue_event = Event.objects.get(case_id=case.pk, action="mark_overdue")
    assert overdue_event.payload["rule"] == "receipt_notice" and "第四十四条" in overdue_event.basis

    case = act(
        case,
        "record_notice",
        k_reg,
        "2026-10-12",
        served_on="2026-10-12",
        method="邮寄",
        **notice(case, "receipt_notice"),
    )
    receipt = clock(case, "receipt_notice")
    assert receipt.status == "met" and receipt.late and not case.overdue
    case = act(
        case,
        "conclude_suggestion",
        city.who(city.county_housing, Role.HANDLER),
        "2026-10-20",
        adoption="adopted",
        reply="已采纳，年内增设站点",
    )
    assert case.state == "suggestion_concluded"


def test_accusation_is_kept_from_the_accused_and_routed_to_discipline() -> None:
    city = build_city()
    tri = city.who(city.bureau, Role.TRIAGE_OFFICER)
    case = register(
        city,
        when="2026-04-01",
        channel="online",
        request="反映甲县住建局某干部收受好处费",
        name="李某",
        address="甲县和平路8号",
    )
    act(case, "triage", tri, "2026-04-02", category="accusation", accused_organ=city.county_housing.pk)
    case.refresh_from_db()
    assert case.confidential_accusation and case.petition.accused_organ == city.county_housing
    with pytest.raises(Refused, match="不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位"):
        act(case, "transfer", tri, "2026-04-02", target_organ=city.county_housing)
    with pytest.raises(Refused, match="须为纪检监察机关"):
        act(case, "route_discipline", tri, "2026-04-02", target_organ=city.court)
    case = act(case, "route_discipline", tri, "2026-04-02", target_organ=city.discipline)
    handling = case.children.get()
    assert handling.organ == city.discipline and handling.confidential_accusation

    d_han = city.who(city.discipline, Role.HANDLER)
    accused_staff = city.who(city.county_housing, Role.LEADER)
    assert can_see_identity(d_han, handling)
    assert not can_see_identity(tri, handling) and can_view_case(tri, handling)  # the bureau sees progress only
    assert not can_see_identity(city.who(city.gov, Role.LEADER), handling)
    assert not can_view_case(accused_staff, handling) and not can_see_identity(accused_staff, handling)

    act(handling, "triage", city.who(city.discipline, Role.TRIAGE_OFFICER), "2026-04-03", category="accusation")
    act(handling, "accept", city.who(city.discipline, Role.TRIAGE_OFFICER), "2026-04-03")
    act(handling, "start_accusation_handling", d_han, "2026-04-07")
    handling = act(handling, "conclude_accusation", d_han, "2026-05-20", result="已立案审查并反馈")
    assert handling.state == "accusation_concluded"


def served_opinion(city: City, outcome: str) -> Case:
    """A grievance at the county department, answered on Jan 20 and served on Jan 22, 2026."""
    case = register(city, city.county_housing, when="2026-01-05")
    k_tri, k_han = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    act(case, "triage", k_tri, "2026-01-06", category="grievance")
    act(case, "accept", k_tri, "2026-01-06")
    with pytest.raises(Refused, match="当前状态为“受理”，不能执行“请求复查”"):  # premature
        act(case, "request_review", city.who(city.county_gov, Role.REGISTRAR), "2026-01-07", received_on="2026-01-07")
    act(case, "investigate", k_han, "2026-01-06")
    facts = {"facts": "属实", "reasons": "依照有关规定", "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条"}
    act(case, "issue_opinion", k_han, "2026-01-20", outcome=outcome, **facts)
    told = notice(case, "handling_opinion")
    return act(case, "serve_opinion", k_han, "2026-01-22", served_on="2026-01-22", method="当面", **told)


def test_late_request_is_refused_but_a_request_posted_in_time_is_accepted() -> None:
    city = build_city()
    case = served_opinion(city, "upheld")
    assert case.execution_monitoring  # a supported request is followed up (Art. 32(2))
    window = clock(case, "review_request")
    assert window.legal_last_day == D("2026-02-24")  # Feb 21 falls in the Spring Festival holiday

    with on("2026-02-27"):
        assert scan_deadlines().windows_closed == 0  # still within the grace for mail in transit
    with pytest.raises(Refused, match="请求复查的期间已于2026年02月24日届满"):
        act(case, "request_review", city.who(city.county_gov, Role.REGISTRAR), "2026-02-27", received_on="2026-02-27")
    # A request posted on the last day is in time although it arrives later (在途时间不计).
    case = act(
        case,
        "request_review",
        city.who(city.county_gov, Role.REGISTRAR),
        "2026-02-27",
        received_on="2026-02-27",
        posted_on="2026-02-24",
    )
    assert case.state == "review_requested" and clock(case, "review").start == D("2026-02-27")


def test_window_lapse_closes_the_case_without_review() -> None:
    city = build_city()
    case = served_opinion(city, "explained")
    assert not case.execution_monitoring
    with on("2026-03-04"):  # Feb 24 + 7 days of grace have passed
        result = scan_deadlines()
    case.refresh_from_db()
    assert result.windows_closed == 1 and case.state == "closed_no_review"
    assert clock(case, "review_request").status == "lapsed"
    assert Event.objects.filter(case_id=case.pk, action="close_no_review", actor_label="系统").exists()


def test_a_hearing_on_the_day_the_request_arrived_excludes_nothing() -> None:
    city = build_city()
    case = register(city, city.county_housing, when="2026-03-02")
    Case.objects.filter(pk=case.pk).update(
        state="re_review_requested", review_organ=city.county_gov, re_review_organ=city.gov, acting_organ=city.gov
    )
    from xinfang.audit.models import Event as AuditEvent
    from xinfang.lifecycle import clocks as clock_ops

    started = AuditEvent.objects.filter(case_id=case.pk).last()
    clock_ops.start_clock(case, "re_review", D("2026-03-10"), city.gov, started)
    g_han = city.who(city.gov, Role.HANDLER)
    act(case, "start_re_review_hearing", g_han, "2026-03-10")
    case = act(case, "end_re_review_hearing", g_han, "2026-03-10", conclusion="当日听证")
    assert clock(case, "re_review").pauses == [] and clock(case, "re_review").due == D("2026-04-09")
    act(case, "start_re_review_hearing", g_han, "2026-03-10")  # begun on the trigger day, ended later
    case = act(case, "end_re_review_hearing", g_han, "2026-03-12", conclusion="两日后结束")
    assert clock(case, "re_review").pauses == [["2026-03-11", "2026-03-12"]]
    assert clock(case, "re_review").due == D("2026-04-11")
    with pytest.raises(Refused, match="听证开始日期 2026-03-20 应在收到请求之日与今天之间"), on("2026-03-13"):
        perform(case, "start_re_review_hearing", g_han, {"on": "2026-03-20"})
