"""Issuing and serving written notices: required items, approval, gap-free numbers, service starts windows."""

from __future__ import annotations

import json
import threading
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from tests.factories import City, at, build_city, register
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.documents import services
from xinfang.documents.models import Document, Status
from xinfang.documents.services import DocumentRefused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role


def opinion_ready(city: City) -> Case:
    """A grievance at the county department with its opinion decided (not_upheld), on 2026-04-10."""
    case = register(city, city.county_housing, when="2026-03-02")
    tri, han = city.who(city.county_housing, Role.TRIAGE_OFFICER), city.who(city.county_housing, Role.HANDLER)
    with time_machine.travel(at("2026-04-10"), tick=False):
        perform(case, "triage", tri, {"category": "grievance"})
        perform(case, "accept", tri)
        perform(case, "investigate", han)
        facts = {
            "facts": "补偿款已付清",
            "reasons": "有转账凭证",
            "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条",
        }
        return perform(case, "issue_opinion", han, {**facts, "outcome": "not_upheld"})


def drafted(city: City, case: Case) -> Document:
    han = city.who(city.county_housing, Role.HANDLER)
    with time_machine.travel(at("2026-04-10"), tick=False):
        document = services.draft(case, "handling_opinion", han)
        return services.update(
            document,
            {
                "opinion": "经调查核实，补偿款已足额支付，对信访人的请求不予支持。",
                "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条",
            },
            han,
        )


@pytest.mark.django_db
def test_a_draft_is_filled_from_the_case_including_the_review_right() -> None:
    city = build_city()
    document = services.draft(opinion_ready(city), "handling_opinion", city.who(city.county_housing, Role.HANDLER))
    assert document.content["request"] == "请求补发拖欠的房屋征收补偿款"
    assert document.content["outcome"] == "不予支持"
    assert "30日内，向甲县人民政府请求复查" in document.content["review_right"]


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "article"), [("review_right", "第三十五条"), ("legal_basis", "第三十二条第一款")])
def test_an_opinion_without_a_required_item_is_refused_naming_the_article(key: str, article: str) -> None:
    city = build_city()
    document = drafted(city, opinion_ready(city))
    han, approver = city.who(city.county_housing, Role.HANDLER), city.who(city.county_housing, Role.APPROVER)
    services.update(document, {key: ""}, han)
    with pytest.raises(DocumentRefused) as caught:
        services.approve(document, approver)
    assert article in caught.value.message
    with pytest.raises(DocumentRefused) as caught:
        services.issue(document, han)
    assert f"《信访工作条例》{article}" in caught.value.message
    document.refresh_from_db()
    assert document.status == Status.DRAFT and document.number == "" and document.serial is None


@pytest.mark.django_db
def test_approval_is_required_then_the_number_and_hashes_are_recorded() -> None:
    city = build_city()
    document = drafted(city, opinion_ready(city))
    han, approver = city.who(city.county_housing, Role.HANDLER), city.who(city.county_housing, Role.APPROVER)
    with pytest.raises(DocumentRefused, match="须经本机关负责人审核签发"):
        services.issue(document, han)
    with pytest.raises(DocumentRefused, match="只有审批负责人"):
        services.approve(document, han)
    with time_machine.travel(at("2026-04-11"), tick=False):
        services.approve(document, approver)
        issued = services.issue(document, han)
    # The organ's name stands for its code until the administrator sets one (GB/T 9704-2012 7.2.4).
    assert issued.number == "甲县住房和城乡建设局信意〔2026〕1号" and issued.status == Status.ISSUED
    event = Event.objects.get(action="issue_document")
    assert (event.payload["pdf_sm3"], event.payload["docx_sm3"]) == (issued.pdf_sm3, issued.docx_sm3)
    from xinfang.audit.chain import sm3_hex

    stored = Document.objects.get(pk=issued.pk)  # downloaded again: the very bytes that were hashed
    pdf, docx = bytes(stored.pdf or b""), bytes(stored.docx or b"")
    assert sm3_hex(pdf) == issued.pdf_sm3 and sm3_hex(docx) == issued.docx_sm3
    assert pdf.startswith(b"%PDF") and docx.startswith(b"PK")
    assert first_problem() is None


@pytest.mark.django_db
def test_serving_the_opinion_sets_the_review_window_exactly_as_the_cli_computes_it() -> None:
    city = build_city()
    document = drafted(city, opinion_ready(city))
    han, approver = city.who(city.county_housing, Role.HANDLER), city.who(city.county_housing, Role.APPROVER)
    import datetime as dt

    with time_machine.travel(at("2026-09-08"), tick=False):
        services.approve(document, approver)
        issued = services.issue(document, han)
        with pytest.raises(DocumentRefused, match="邮件单号"):
            services.serve(issued, han, method="post", served_on=dt.date(2026, 9, 5))
        services.serve(issued, han, method="post", served_on=dt.date(2026, 9, 5), tracking_number="EMS1234567890")
    case = issued.case
    case.refresh_from_db()
    window = case.clocks.get(rule="review_request")
    out = StringIO()
    call_command("deadline", "review_request", "2026-09-05", "--json", stdout=out)
    expected = json.loads(out.getvalue())
    assert case.state == "opinion_delivered"
    assert (window.due.isoformat(), window.legal_last_day.isoformat()) == (expected["due"], expected["legal_last_day"])
    assert window.legal_last_day.isoformat() == "2026-10-08"  # Oct 5 falls in National Day


@pytest.mark.django_db
def test_exemption_from_service_only_when_name_or_address_is_unclear() -> None:
    city = build_city()
    document = drafted(city, opinion_ready(city))
    han, approver = city.who(city.county_housing, Role.HANDLER), city.who(city.county_housing, Role.APPROVER)
    services.approve(document, approver)
    issued = services.issue(document, han)
    with pytest.raises(DocumentRefused, match="第二十三条第二款"):
        services.serve(issued, han, method="exempt", exempt_reason="找不到人")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_numbers() -> None:
    count = 50 if connection.vendor == "postgresql" else 8
    city = build_city()
    han = city.who(city.county_housing, Role.HANDLER)
    documents = []
    for index in range(count):
        case = register(city, city.county_housing, request=f"请求事项{index}")
        document = services.draft(case, "transfer_notice", han)
        documents.append(services.update(document, {"destination": "甲县自然资源局"}, han))
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def issue(document: Document) -> None:
        try:
            barrier.wait()
            services.issue(document, han)
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    serials = sorted(s or 0 for s in Document.objects.filter(kind="transfer_notice").values_list("serial", flat=True))
    assert serials == list(range(1, count + 1))


@pytest.mark.django_db
def test_two_organs_never_issue_the_same_number() -> None:
    """GB/T 9704-2012 7.2.4: the number is the organ's code, the year and the serial; organs keep apart."""
    from django.db import IntegrityError, transaction

    city = build_city()
    city.county_housing.code, city.other_county_housing.code = "甲住建", "乙住建"
    city.county_housing.save()
    city.other_county_housing.save()
    numbers = []
    for organ, region in ((city.county_housing, "990102"), (city.other_county_housing, "990103")):
        case = register(city, organ, region_code=region)
        registrar = city.who(organ, Role.REGISTRAR)
        with time_machine.travel(at("2026-03-02", 15), tick=False):
            notice = services.draft(case, "receipt_notice", registrar)
            services.update(notice, {"route": "调查核实后书面答复", "contact": "信访科"}, registrar)
            numbers.append(services.issue(notice, registrar).number)
    assert numbers == ["甲住建信受〔2026〕1号", "乙住建信受〔2026〕1号"]
    city.other_county_housing.code = "甲住建"
    with pytest.raises(IntegrityError), transaction.atomic():
        city.other_county_housing.save()
