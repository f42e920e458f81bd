"""复查复核改变率: the review opinion records whether it changed the original opinion (是 / 否); serving it
carries that answer into the decide_review event, which the indicator counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tests.factories import at, build_city
from tests.portal.test_progress import delivered
from xinfang.audit.models import Event
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

CONTENT = {
    "request": "信访人不服甲县住房和城乡建设局的处理意见，请求复查。",
    "facts_and_reasons": "经复查，原处理意见对补偿面积的认定有误。",
    "opinion": "撤销原处理意见，责令甲县住房和城乡建设局重新作出处理意见。",
    "legal_basis": "《信访工作条例》第三十五条",
    "re_review_right": "信访人对本复查意见不服的，可以在法定期限内向西地市人民政府请求复核。",
}


def _review_case() -> tuple[Any, Any]:
    from xinfang.lifecycle.engine import perform

    city = build_city()
    _client, _number, _code, case = delivered(city)
    with time_machine.travel(at("2026-04-13"), tick=False):
        case = perform(case, "request_review", city.who(city.county_gov, Role.REGISTRAR), {"received_on": "2026-04-13"})
    return city, case


def _draft(city: Any, case: Any, content: dict[str, str]) -> Any:
    from xinfang.documents import services as documents

    reviewer = city.who(city.county_gov, Role.HANDLER)
    return documents, reviewer, documents.update(documents.draft(case, "review_opinion", reviewer), content, reviewer)


def test_a_review_opinion_without_the_changed_item_cannot_be_issued() -> None:
    city, case = _review_case()
    with time_machine.travel(at("2026-05-08"), tick=False):
        documents, _reviewer, document = _draft(city, case, CONTENT)
        with pytest.raises(documents.DocumentRefused) as refused:
            documents.approve(document, city.who(city.county_gov, Role.APPROVER))
    assert "是否撤销或者变更原处理意见" in str(refused.value) and "是、否" in str(refused.value)


def test_serving_the_review_opinion_records_that_it_changed_the_original() -> None:
    city, case = _review_case()
    with time_machine.travel(at("2026-05-08"), tick=False):
        documents, reviewer, document = _draft(city, case, {**CONTENT, "changed": "是"})
        document = documents.approve(document, city.who(city.county_gov, Role.APPROVER))
        document = documents.issue(document, reviewer)
        documents.serve(document, reviewer, method="in_person", served_on=dt.date(2026, 5, 8))
    event = Event.objects.get(action="decide_review")
    assert event.payload["changed"] == "是"
    assert event.payload["decision"] == CONTENT["opinion"]

    from xinfang.analytics.facts import event_rows

    keys = sorted(row.key for row in event_rows(dt.date(2026, 5, 1), dt.date(2026, 5, 31)))
    assert keys.count("decided") == 1 and keys.count("decided_changed") == 1


def test_the_engine_asks_for_the_answer_when_the_step_is_performed_without_a_document() -> None:
    from xinfang.lifecycle.context import Refused
    from xinfang.lifecycle.engine import perform

    city, case = _review_case()
    with time_machine.travel(at("2026-05-08"), tick=False), pytest.raises(Refused) as refused:
        perform(
            case,
            "decide_review",
            city.who(city.county_gov, Role.HANDLER),
            {"decision": "维持原处理意见", "served_on": "2026-05-08"},
        )
    assert "是否撤销或者变更原意见" in str(refused.value)
