"""Quality review (评查): the computed items match what the case's record shows; the reviewer confirms or
overrides (with a note); results are counted per organ × item."""

from __future__ import annotations

import pytest
import time_machine

from tests.factories import City, at, build_city, register
from tests.portal.helpers import accept, serve_opinion
from xinfang.audit.models import Event
from xinfang.documents import services as documents
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.supervision import selectors, services
from xinfang.supervision.models import Verdict

pytestmark = pytest.mark.django_db


def handled(city: City, served: bool = True, notice: bool = True) -> Case:
    """Registered at the county department on 2 March, accepted on 5 March, answered in April."""
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(city, city.county_housing)
    with time_machine.travel(at("2026-03-05"), tick=False):
        case = accept(city, case)
        if notice:
            clerk = city.who(city.county_housing, Role.TRIAGE_OFFICER)
            receipt = documents.draft(case, "receipt_notice", clerk)
            receipt = documents.update(receipt, {"contact": "甲县住房和城乡建设局，电话0000-12345。"}, clerk)
            if documents.version_of(receipt).approval_required:
                receipt = documents.approve(receipt, city.who(city.county_housing, Role.APPROVER))
            receipt = documents.issue(receipt, clerk)
            documents.serve(receipt, clerk, method="in_person", served_on=at("2026-03-05").date())
    with time_machine.travel(at("2026-04-10"), tick=False):
        serve_opinion(city, case, at("2026-04-10").date())
    case.refresh_from_db()
    return case


def test_the_computed_items_match_the_record_and_the_reviewer_confirms() -> None:
    city = build_city()
    good, silent = handled(city), handled(city, notice=False)
    reviewer = city.who(city.county_bureau, Role.SUPERVISOR)
    assert {c.pk for c in selectors.reviewable_cases(reviewer)} >= {good.pk, silent.pk}
    first, second = services.open_reviews([good, silent], reviewer, batch="2026年4月规范性评查", now=at("2026-04-20"))
    computed = {i.key: i.computed for i in first.items.all()}
    assert computed == {
        "receipt_notice": Verdict.PASS,  # the 受理告知书 served on 5 March, within 15 days of 2 March
        "heard": Verdict.PASS,  # 调查核实 on record
        "opinion_items": Verdict.PASS,
        "review_right": Verdict.PASS,
        "served": Verdict.PASS,
        "in_time": Verdict.PASS,  # answered 36 days after acceptance
        "substance": "",  # the reviewer's judgment alone
    }
    # No written notice was ever given on the second case: its 15-day clock ran out.
    assert {i.key: i.computed for i in second.items.all()}["receipt_notice"] == Verdict.FAIL

    results = {**computed, "substance": Verdict.PASS, "heard": Verdict.FAIL}
    with pytest.raises(services.ReviewRefused, match="请填写说明"):
        services.confirm_review(first, reviewer, results, now=at("2026-04-21"))
    with pytest.raises(services.ReviewRefused, match="选择评查结论"):
        services.confirm_review(first, reviewer, {**results, "substance": ""}, {"heard": "x"}, now=at("2026-04-21"))
    services.confirm_review(first, reviewer, results, {"heard": "卷内无听取信访人陈述的记录"}, now=at("2026-04-21"))
    second_results = {i.key: i.computed or Verdict.PASS for i in second.items.all()}
    services.confirm_review(second, reviewer, second_results, now=at("2026-04-21"))

    labels, rows = selectors.results_by_organ(reviewer)
    assert labels[0] == "按期书面告知信访人受理情况"
    [row] = rows
    assert (row.organ, row.reviewed) == ("甲县住房和城乡建设局", 2)
    by_key = dict(zip([i for i in computed], row.cells, strict=True))
    assert by_key["receipt_notice"] == (1, 1) and by_key["heard"] == (1, 1) and by_key["served"] == (2, 0)
    assert Event.objects.filter(action="confirm_quality_review").count() == 2


def test_only_a_bureau_supervisor_reviews_handled_cases_in_its_scope() -> None:
    city = build_city()
    case = handled(city)
    with pytest.raises(services.ReviewRefused, match="督查员"):
        services.open_reviews([case], city.who(city.county_housing, Role.SUPERVISOR), batch="x")
    with time_machine.travel(at("2026-03-02"), tick=False):
        running = register(city, city.county_housing)
    with pytest.raises(services.ReviewRefused, match="尚未办结"):
        services.open_reviews([running], city.who(city.county_bureau, Role.SUPERVISOR), batch="x")
    with pytest.raises(services.ReviewRefused, match="评查批次"):
        services.open_reviews([case], city.who(city.county_bureau, Role.SUPERVISOR), batch=" ")
