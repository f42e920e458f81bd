"""Shared steps for portal tests: answer the CAPTCHA as a person would, submit, track."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from tests.factories import City

VALID_ID = "11010519491231002X"  # GB 11643 checksum holds
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def words_to_int(text: str) -> int:
    if "十" in text and len(text) > 1:
        tens, _, ones = text.partition("十")
        return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
    return DIGITS[text]


def captcha_of(html: str) -> tuple[str, str]:
    """(answer, token) read off the form as a person and the browser would."""
    question = re.search(r"验证问题 \*：(\S+?)加(\S+?)等于几", html)
    token = re.search(r'name="captcha_token" value="([^"]+)"', html)
    assert question and token, "the form asks a question and carries its token"
    return str(words_to_int(question.group(1)) + words_to_int(question.group(2))), token.group(1)


def fields(city: City, **overrides: Any) -> dict[str, Any]:
    return {
        "region": city.county_housing.region_code,
        "organ": str(city.county_housing.pk),
        "name": "王秀兰",
        "id_number": VALID_ID,
        "contact": "13800001111",
        "address": "甲县城关镇幸福路8号",
        "request": "请求补发拖欠的房屋征收补偿款",
        "facts_and_reasons": "2025年老房被征收，约定补偿款至今未付清。",
        "accusation": "no",
        **overrides,
    }


def submit(client: Client, city: City, **overrides: Any) -> Any:
    page = client.get("/public/submit/").content.decode()
    answer, token = captcha_of(page)
    data = {**fields(city, **overrides), "captcha_answer": answer, "captcha_token": token}
    if "captcha_answer" in overrides:
        data["captcha_answer"] = overrides["captcha_answer"]
    return client.post("/public/submit/", data)


def receipt_of(client: Client) -> tuple[str, str]:
    html = client.get("/public/receipt/").content.decode()
    number = re.search(r'data-testid="receipt-number">([^<]+)<', html)
    code = re.search(r'data-testid="receipt-code">([^<]+)<', html)
    assert number and code
    return number.group(1), code.group(1)


def track(client: Client, number: str, code: str) -> Any:
    return client.post("/public/track/", {"number": number, "code": code})


def accept(city: City, case: Any) -> Any:
    from xinfang.lifecycle.engine import perform
    from xinfang.org.models import Role

    triage = city.who(city.county_housing, Role.TRIAGE_OFFICER)
    case = perform(case, "triage", triage, {"category": "grievance"})
    return perform(case, "accept", triage)


def serve_opinion(city: City, case: Any, served_on: Any) -> Any:
    """Investigate, decide, and issue and serve the 信访处理意见书 through the documents service."""
    from xinfang.documents import services as documents
    from xinfang.lifecycle.engine import perform
    from xinfang.org.models import Role

    handler = city.who(city.county_housing, Role.HANDLER)
    case = perform(case, "investigate", handler)
    facts = {
        "facts": "补偿款已付清",
        "reasons": "有转账凭证",
        "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条",
    }
    case = perform(case, "issue_opinion", handler, {**facts, "outcome": "not_upheld"})
    document = documents.draft(case, "handling_opinion", handler)
    document = documents.update(
        document,
        {"opinion": "经调查核实，补偿款已足额支付，不予支持。", "legal_basis": facts["legal_basis"]},
        handler,
    )
    document = documents.approve(document, city.who(city.county_housing, Role.APPROVER))
    document = documents.issue(document, handler)
    documents.serve(document, handler, method="post", served_on=served_on, tracking_number="EMS0001")
    return document


def serve_review_opinion(city: City, case: Any, served_on: Any) -> Any:
    """The review organ (the county government) issues and serves its 复查意见书 through the documents service."""
    from xinfang.documents import services as documents
    from xinfang.org.models import Role

    reviewer = city.who(city.county_gov, Role.HANDLER)
    document = documents.draft(case, "review_opinion", reviewer)
    document = documents.update(
        document,
        {
            "request": "信访人不服甲县住房和城乡建设局的处理意见，请求复查。",
            "facts_and_reasons": "经复查，原处理意见认定事实清楚，转账凭证与协议约定的金额一致。",
            "opinion": "维持原处理意见。",
            "changed": "否",
            "legal_basis": "《信访工作条例》第三十五条",
            "re_review_right": "信访人对本复查意见不服的，可以在法定期限内向西地市人民政府请求复核。",
        },
        reviewer,
    )
    if documents.kind("review_opinion").version_on(served_on).approval_required:
        document = documents.approve(document, city.who(city.county_gov, Role.APPROVER))
    document = documents.issue(document, reviewer)
    documents.serve(document, reviewer, method="in_person", served_on=served_on)
    return document
