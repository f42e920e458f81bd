"""The supervision pages: a supervisor opens an order from the overdue list, the handling organ answers, the
supervisor urges and closes; a recommendation from draft to feedback; bad input is named in Chinese."""

from __future__ import annotations

import pytest
import time_machine

from tests.factories import at, build_city, client_for
from tests.supervision.helpers import accepted
from xinfang.org.models import Role
from xinfang.supervision.models import Order, OrderState, Recommendation, RecState

pytestmark = pytest.mark.django_db



def test_order_from_the_overdue_list_answered_urged_and_closed() -> None:
    city = build_city()
    first, second = accepted(city), accepted(city, request="请求维修小区漏水屋面")
    supervisor = client_for(city.who(city.county_bureau, Role.SUPERVISOR))
    handler = client_for(city.who(city.county_housing, Role.HANDLER))
    with time_machine.travel(at("2026-05-10"), tick=False):
        page = supervisor.get("/work/supervision/new/").content.decode()
        assert first.petition.number in page and second.petition.number in page
        bad = supervisor.post("/work/supervision/new/", {"case": [first.pk], "reason": "overdue", "requirement": ""})
        assert bad.status_code == 400 and "请填写「督办要求」" in bad.content.decode()
        none = supervisor.post("/work/supervision/new/", {"reason": "overdue", "requirement": "请办理"})
        assert none.status_code == 400 and "督办的案件" in none.content.decode()
        done = supervisor.post(
            "/work/supervision/new/", {"case": [first.pk], "reason": "overdue", "requirement": "请立即办理"}
        )
        order = Order.objects.get()
        assert done.status_code == 302 and done["Location"] == f"/work/supervision/{order.pk}/"
        home = supervisor.get("/work/").content.decode()
        assert str(order) in home and "2026-05-15" in home
        assert str(order) in handler.get("/work/").content.decode()  # the organ's queue
        assert "督办" in supervisor.get(f"/work/cases/{first.pk}/").content.decode()
    with time_machine.travel(at("2026-05-18"), tick=False):
        listing = supervisor.get("/work/supervision/").content.decode()
        assert "逾期" in listing
        supervisor.post(f"/work/supervision/{order.pk}/act/", {"action": "urge", "note": "请即办理"})
        order.refresh_from_db()
        assert order.state == OrderState.URGED and order.urged == 1
        empty = handler.post(f"/work/supervision/{order.pk}/act/", {"action": "reply", "text": ""}, follow=True)
        assert "请填写「答复内容」" in empty.content.decode()
        handler.post(f"/work/supervision/{order.pk}/act/", {"action": "reply", "text": "已办结并送达。"})
        order.refresh_from_db()
        assert order.state == OrderState.REPLIED
        page = supervisor.get(f"/work/supervision/{order.pk}/").content.decode()
        assert "已办结并送达。" in page
        # The handling organ cannot close its own order.
        handler.post(f"/work/supervision/{order.pk}/act/", {"action": "close"})
        order.refresh_from_db()
        assert order.state == OrderState.REPLIED
        supervisor.post(f"/work/supervision/{order.pk}/act/", {"action": "close"})
        order.refresh_from_db()
        assert order.state == OrderState.CLOSED
    # Another county's department does not learn of the order.
    outsider = client_for(city.who(city.other_county_housing, Role.HANDLER))
    assert outsider.get(f"/work/supervision/{order.pk}/").status_code == 404


def test_recommendation_pages_from_draft_to_feedback() -> None:
    city = build_city()
    case = accepted(city)
    supervisor = client_for(city.who(city.county_bureau, Role.SUPERVISOR))
    handler = client_for(city.who(city.county_housing, Role.HANDLER))
    with time_machine.travel(at("2026-03-10"), tick=False):
        form = supervisor.get(f"/work/supervision/recommendations/new/?case={case.pk}").content.decode()
        assert "甲县住房和城乡建设局" in form and "追究责任的建议" in form
        data = {
            "case": [case.pk],
            "kind": "improve",
            "addressee": city.county_housing.pk,
            "problem": "",
            "suggestion": "y",
        }
        bad = supervisor.post("/work/supervision/recommendations/new/", data)
        assert bad.status_code == 400 and "请填写「发现的问题」" in bad.content.decode()
        data["problem"] = "程序性办结"
        supervisor.post("/work/supervision/recommendations/new/", data)
        rec = Recommendation.objects.get()
        supervisor.post(f"/work/supervision/recommendations/{rec.pk}/act/", {"action": "issue"})
        supervisor.post(
            f"/work/supervision/recommendations/{rec.pk}/act/",
            {"action": "serve", "method": "in_person", "served_on": "2026-03-10"},
        )
        rec.refresh_from_db()
        assert rec.state == RecState.SERVED
        assert handler.get(f"/work/supervision/recommendations/{rec.pk}/pdf/")["Content-Type"] == "application/pdf"
        handler.post(
            f"/work/supervision/recommendations/{rec.pk}/act/",
            {"action": "feedback", "adopted": "no", "text": "未采纳：该事项已另案处理。"},
        )
    rec.refresh_from_db()
    assert (rec.state, rec.adopted) == (RecState.ANSWERED, False)
    assert (
        "未采纳：该事项已另案处理。" in supervisor.get(f"/work/supervision/recommendations/{rec.pk}/").content.decode()
    )


def test_the_forms_are_for_bureau_supervisors_only() -> None:
    city = build_city()
    handler = client_for(city.who(city.county_housing, Role.HANDLER))
    assert handler.get("/work/supervision/new/").status_code == 403
    assert handler.get("/work/supervision/recommendations/new/").status_code == 403
    assert handler.get("/work/supervision/").status_code == 200


def test_review_pages_prefill_confirm_and_count() -> None:
    from tests.supervision.test_reviews import handled
    from xinfang.supervision.models import Review

    city = build_city()
    case = handled(city)
    supervisor = client_for(city.who(city.county_bureau, Role.SUPERVISOR))
    listing = supervisor.get("/work/supervision/reviews/").content.decode()
    assert case.petition.number in listing and "按期书面告知信访人受理情况" in listing
    bad = supervisor.post("/work/supervision/reviews/new/", {"case": [case.pk], "batch": ""}, follow=True)
    assert "请填写「评查批次」" in bad.content.decode()
    supervisor.post("/work/supervision/reviews/new/", {"case": [case.pk], "batch": "4月评查"})
    review = Review.objects.get()
    page = supervisor.get(f"/work/supervision/reviews/{review.pk}/").content.decode()
    assert "需人工判断" in page and "《信访工作条例》第三十四条" in page
    form = {f"result-{i.key}": i.computed or "pass" for i in review.items.all()}
    supervisor.post(f"/work/supervision/reviews/{review.pk}/", form)
    review.refresh_from_db()
    assert review.confirmed_at is not None
    results = supervisor.get("/work/supervision/reviews/").content.decode()
    assert "甲县住房和城乡建设局" in results
    # The reviewed organ reads the review of its own case; another county's department does not.
    assert (
        client_for(city.who(city.county_housing, Role.HANDLER))
        .get(f"/work/supervision/reviews/{review.pk}/")
        .status_code
        == 200
    )
    assert (
        client_for(city.who(city.other_county_housing, Role.HANDLER))
        .get(f"/work/supervision/reviews/{review.pk}/")
        .status_code
        == 404
    )


def test_assignment_and_campaign_pages() -> None:
    from xinfang.supervision.models import Assignment, Campaign

    city = build_city()
    case = accepted(city)
    clerk = client_for(city.who(city.county_bureau, Role.TRIAGE_OFFICER))
    handler = client_for(city.who(city.county_housing, Role.HANDLER))
    supervisor = client_for(city.who(city.county_bureau, Role.SUPERVISOR))
    with time_machine.travel(at("2026-03-10"), tick=False):
        form = {
            "case": case.pk,
            "level": "national",
            "reference": "",
            "requirement": "请报结",
            "report_due": "2026-04-10",
        }
        bad = clerk.post("/work/supervision/assignments/new/", form)
        assert bad.status_code == 400 and "请填写「交办文号」" in bad.content.decode()
        clerk.post("/work/supervision/assignments/new/", {**form, "reference": "国信办〔2026〕2号"})
        assignment = Assignment.objects.get()
        handler.post(f"/work/supervision/assignments/{assignment.pk}/", {"report": "已办结，报告如下。"})
        assignment.refresh_from_db()
        assert assignment.reported_at is not None
        listing = supervisor.get("/work/supervision/assignments/?level=national&status=reported").content.decode()
        assert "国信办〔2026〕2号" in listing
        assert "国信办" not in supervisor.get("/work/supervision/assignments/?level=provincial").content.decode()
    with time_machine.travel(at("2026-05-10"), tick=False):
        page = supervisor.get("/work/supervision/campaigns/").content.decode()
        assert case.petition.number in page
        supervisor.post(
            "/work/supervision/campaigns/",
            {
                "name": "积案化解攻坚",
                "target": "全部化解",
                "ends_on": "2026-12-31",
                "case": [case.pk],
                f"owner-{case.pk}": "李副局长",
            },
        )
        campaign = Campaign.objects.get()
        entry = campaign.entries.get()
        supervisor.post(
            f"/work/supervision/campaigns/{campaign.pk}/", {"entry": entry.pk, "resolved": "yes", "note": "已和解"}
        )
        assert "1/1" in supervisor.get(f"/work/supervision/campaigns/{campaign.pk}/").content.decode()
        assert "李副局长" in handler.get(f"/work/supervision/campaigns/{campaign.pk}/").content.decode()


def test_the_statistics_page_shows_the_supervision_figures() -> None:
    from xinfang.supervision import services

    city = build_city()
    case = accepted(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    services.open_orders([case], supervisor, reason="overdue", requirement="请办理", now=at("2026-05-10"))
    services.record_assignment(
        case,
        supervisor,
        level="national",
        reference="国信办〔2026〕2号",
        requirement="",
        report_due=at("2026-05-20").date(),
        now=at("2026-05-10"),
    )
    with time_machine.travel(at("2026-06-01"), tick=False):
        page = client_for(supervisor).get("/work/statistics/").content.decode()
    assert 'data-testid="supervision-statistics"' in page
    # One order still waiting and past its date; the 国专件 not reported back by 20 May.
    assert "<td>1</td>" in page.split("督办单")[1].split("</table>")[0]
    national = page.split("国家信访局交办")[1].split("</tr>")[0]
    assert national == "</th><td>1</td><td>0</td><td>1</td>"
