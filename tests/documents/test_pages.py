"""Documents on the case page: draft, edit, approve, issue, download the same bytes, serve; who may see them."""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.documents.test_services import opinion_ready
from tests.factories import at, build_city, client_for
from xinfang.audit.chain import sm3_hex
from xinfang.documents.models import Document, Status
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db



def test_handler_drafts_approver_signs_and_the_opinion_is_issued_downloaded_and_served_from_the_pages() -> None:
    city = build_city()
    case = opinion_ready(city)
    handler = client_for(city.who(city.county_housing, Role.HANDLER))
    approver = client_for(city.who(city.county_housing, Role.APPROVER))
    with time_machine.travel(at("2026-04-13"), tick=False):
        page = handler.get(f"/work/cases/{case.pk}/").content.decode()
        assert 'data-testid="draft-form"' in page and "尚无文书" in page
        response = handler.post(f"/work/cases/{case.pk}/documents/new/", {"kind": "handling_opinion"})
        document = Document.objects.get(case=case)
        assert response["Location"] == f"/work/documents/{document.pk}/"
        page = handler.get(response["Location"]).content.decode()
        # The draft is filled from the case; what is still missing is named with its article.
        assert "请求补发拖欠的房屋征收补偿款" in page
        assert "尚不能印发" in page and "缺少「处理意见」" in page and "第三十二条" in page

        fields = {
            **{k: v for k, v in document.content.items()},
            "opinion": "经调查核实，补偿款已足额支付，对信访人的请求不予支持。",
            "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条",
        }
        refused = handler.post(f"/work/documents/{document.pk}/", {**fields, "action": "issue"})
        assert refused.status_code == 400
        assert "须经本机关负责人审核签发" in refused.content.decode()
        assert "经调查核实" in refused.content.decode()  # what was typed is kept
        document.refresh_from_db()
        assert document.content["opinion"].startswith("经调查核实")  # and saved as a draft

        approver.post(f"/work/documents/{document.pk}/", {**fields, "action": "approve"})
        document.refresh_from_db()
        assert document.status == Status.APPROVED
        handler.post(f"/work/documents/{document.pk}/", {**fields, "action": "issue"})
        document.refresh_from_db()
        assert document.status == Status.ISSUED and re.fullmatch(r"\w+信意〔2026〕\d+号", document.number)

        pdf = handler.get(f"/work/documents/{document.pk}/pdf/")
        assert pdf["Content-Type"] == "application/pdf" and sm3_hex(pdf.content) == document.pdf_sm3
        assert handler.get(f"/work/documents/{document.pk}/pdf/").content == pdf.content
        docx = handler.get(f"/work/documents/{document.pk}/docx/")
        assert sm3_hex(docx.content) == document.docx_sm3

        no_tracking = handler.post(
            f"/work/documents/{document.pk}/serve/", {"method": "post", "served_on": "2026-04-13"}
        )
        assert no_tracking.status_code == 400 and "邮件单号" in no_tracking.content.decode()
        handler.post(
            f"/work/documents/{document.pk}/serve/",
            {"method": "post", "served_on": "2026-04-13", "tracking_number": "EMS1234567890"},
        )
    document.refresh_from_db()
    assert document.status == Status.SERVED
    case = Case.objects.get(pk=case.pk)
    assert case.state == "opinion_delivered"
    assert case.clocks.get(rule="review_request").start.isoformat() == "2026-04-13"
    page = handler.get(f"/work/cases/{case.pk}/").content.decode()
    assert document.number in page and "邮寄送达" in page
    for label in ("起草文书", "审核签发文书", "印发文书", "登记送达"):
        assert label in page  # each step is in the timeline


def test_a_document_is_hidden_from_organs_that_cannot_see_the_case() -> None:
    city = build_city()
    case = opinion_ready(city)
    handler = city.who(city.county_housing, Role.HANDLER)
    client_for(handler).post(f"/work/cases/{case.pk}/documents/new/", {"kind": "handling_opinion"})
    document = Document.objects.get(case=case)
    outsider = client_for(city.who(city.other_county_housing, Role.HANDLER))
    assert outsider.get(f"/work/documents/{document.pk}/").status_code == 404
    assert outsider.get(f"/work/documents/{document.pk}/pdf/").status_code == 404
    assert outsider.post(f"/work/cases/{case.pk}/documents/new/", {"kind": "receipt_notice"}).status_code == 404
    assert Document.objects.filter(case=case).count() == 1


def test_an_organ_that_oversees_the_case_may_read_but_not_draft() -> None:
    city = build_city()
    case = opinion_ready(city)
    overseer = client_for(city.who(city.county_bureau, Role.TRIAGE_OFFICER))
    page = overseer.get(f"/work/cases/{case.pk}/").content.decode()
    assert 'data-testid="documents"' in page and 'data-testid="draft-form"' not in page
    response = overseer.post(f"/work/cases/{case.pk}/documents/new/", {"kind": "receipt_notice"}, follow=True)
    assert "只有甲县住房和城乡建设局的工作人员可以起草文书" in response.content.decode()
    assert not Document.objects.filter(case=case).exists()
