"""Every document kind, issued through the service on a real case: each required item, the title, the organ and
the 发文字号 are in the PDF and the DOCX, and page one is rendered for a look (test-artifacts/documents/<kind>.png).

(A 处理意见书 without 请求复查的权利 or 法律法规依据 being refused, naming the article, is in test_services.py.)
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from tests.documents.test_render import ARTIFACTS, count_pixels, docx_text, flat, require_pdf_tools
from tests.factories import City, at, build_city, register
from xinfang.documents import services
from xinfang.documents.models import Document, Status
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Role
from xinfang.rules.documents import default_document_kinds

pytestmark = pytest.mark.django_db  # also tells pytest-django to set up the database the module fixture uses
KINDS = sorted(default_document_kinds())

# Sample content per kind and item: every value is distinct enough to be found in the extracted text.
SAMPLES: dict[str, dict[str, str]] = {
    "supervision_letter": {
        "receiving_organ": "甲县住房和城乡建设局",
        "cases": "XF2026000001、XF2026000002",
        "reason": "超期未办结",
        "requirement": "请立即组织办理，依法出具处理意见书并送达信访人。",
        "reply_deadline": "请于2026年3月10日前书面答复办理情况。",
    },
    "recommendation_letter": {
        "kind": "改进工作的建议",
        "receiving_organ": "甲县住房和城乡建设局",
        "problem": "部分信访事项程序性办结，未解决信访人的实际问题。",
        "suggestion": "建议对程序性办结的事项逐件复查，落实解决措施。",
        "reply_deadline": "请自收到本建议书之日起按期书面反馈采纳情况。",
    },
    "mediation_agreement": {
        "parties": "甲方：王某某（信访人）；乙方：甲县某物业服务有限公司。",
        "mediator": "甲县城关镇人民调解委员会，调解员李某。",
        "dispute": "小区屋面漏水维修费用的承担。",
        "terms": "乙方于2026年4月30日前完成屋面防水维修，费用由乙方承担。",
        "performance": "乙方按期维修，甲方配合入户；维修完毕双方共同验收。",
        "signatures": "甲方：王某某（签名）乙方：甲县某物业服务有限公司（盖章）",
    },
    "settlement_agreement": {
        "parties": "甲方：赵某某（信访人）；乙方：甲县某建筑公司。",
        "dispute": "施工噪声扰民的补偿。",
        "terms": "乙方一次性补偿甲方人民币两千元，夜间不再施工。",
        "performance": "乙方于签订之日起十日内转账支付。",
        "signatures": "甲方：赵某某（签名）乙方：甲县某建筑公司（盖章）",
    },
    "warning_notice": {
        "receiving_organ": "甲县住房和城乡建设局",
        "problem": "近期群众集中反映幸福花园小区电梯停运问题，呈上升态势。",
        "trend": "2026年3月1日至3月7日共收到相关信访事项6件，涉及信访人5人；此前28日内无。",
        "duty": "请贵单位坚持源头治理，把矛盾纠纷化解在基层、化解在萌芽状态。",
        "suggestion": "建议贵单位主要负责同志牵头研究，查明成因，制定措施。",
        "reply_deadline": "请于2026年4月10日前书面反馈采纳情况。",
    },
    "assignment_slip": {
        "request": "请求督促物业服务企业维修漏水的屋面，费用按专项维修资金管理办法列支。",
        "assignee": "甲县住房和城乡建设局",
        "deadline": "请于2026年4月2日前办结，并报送办理结果。",
        "report_required": "办结后5个工作日内提交办结报告，附信访人意见和送达凭证。",
    },
    "completion_report": {
        "assignment_reference": "甲县信访局信交〔2026〕1号",
        "result": "已组织物业服务企业于2026年3月20日完成屋面防水维修，经复查不再漏水。",
        "petitioner_feedback": "信访人对维修结果表示满意，已在回访记录上签字。",
    },
    "diversion_notice": {
        "request": "请求撤销甲县住房和城乡建设局作出的行政处罚决定。",
        "procedure": "该请求属于行政复议的受理范围，请依照《中华人民共和国行政复议法》申请行政复议。",
        "organ": "甲县人民政府（行政复议机关）",
        "time_limit": "自知道该行政行为之日起60日内提出行政复议申请。",
    },
    "extension_notice": {
        "request": "请求补发拖欠的房屋征收补偿款及利息。",
        "reason": "案情复杂，需委托第三方机构对被征收房屋重新测绘和评估。",
        "days": "30",
        "new_deadline": "办理期限延长30日，至2026年6月3日。",
        "approval": "经本机关负责人于2026年4月20日批准。",
    },
    "handling_opinion": {
        "request": "请求补发拖欠的房屋征收补偿款共计12.5万元。",
        "facts_and_reasons": "经调取征收补偿协议和银行转账凭证核实，补偿款已于2025年9月3日足额支付至信访人账户。",
        "opinion": "信访人所称拖欠补偿款的情况不存在，对其补发补偿款的请求不予支持。",
        "legal_basis": "《国有土地上房屋征收与补偿条例》第二十五条，《信访工作条例》第三十二条第一款第三项。",
        "outcome": "不予支持",
        "review_right": "信访人对本处理意见不服的，可以自收到本意见书之日起30日内，向甲县人民政府请求复查。",
    },
    "hearing_notice": {
        "matter": "王某某反映房屋征收补偿款拖欠问题的信访事项。",
        "time_place": "2026年4月15日上午9时30分，甲县住房和城乡建设局三楼听证室。",
        "participants": "信访人王某某，甲县住房和城乡建设局征收办负责人，听证员三名。",
    },
    "not_accepted_notice": {
        "request": "请求尽快解决小区地下车库积水问题。",
        "reason": "该信访事项已由甲县住房和城乡建设局受理，正在办理期限内，本机关不予受理。",
        "pending_organ": "甲县住房和城乡建设局（受理日期2026年3月5日）",
    },
    "not_reaccepted_notice": {
        "request": "再次请求补发房屋征收补偿款。",
        "final_opinion": "西地市人民政府信复核〔2026〕3号复核意见书，2026年6月10日作出。",
        "reason": "信访人以同一事实和理由再次提出投诉请求，该事项已经复核终结。",
    },
    "objection_letter": {
        "transfer_reference": "甲县信访局信转〔2026〕7号转送函",
        "reasons": "该事项涉及集体土地征收补偿标准，依法属于自然资源主管部门的职责范围。",
        "suggested_organ": "甲县自然资源局",
    },
    "re_review_opinion": {
        "request": "信访人不服甲县人民政府的复查意见，请求复核并补发补偿款。",
        "facts_and_reasons": "经复核，原处理意见和复查意见认定补偿款已足额支付的事实清楚，证据充分。",
        "opinion": "维持甲县人民政府作出的复查意见。",
        "changed": "否",
        "legal_basis": "《信访工作条例》第三十六条第一款，《国有土地上房屋征收与补偿条例》第二十五条。",
        "finality": "本复核意见为终结意见。信访人以同一事实和理由再提出投诉请求的，不再受理。",
    },
    "receipt_notice": {
        "request": "请求补发拖欠的房屋征收补偿款。",
        "receipt": "你的信访事项已于2026年3月2日收到，本机关已依法受理。",
        "route": "本机关将自受理之日起60日内办结，调查核实后出具书面处理意见。",
        "contact": "甲县住房和城乡建设局信访办公室，电话0000-12345。",
    },
    "referral_notice": {
        "request": "请求撤销一审民事判决并重新审理。",
        "competent_organ": "该请求应当通过诉讼程序解决，请向西地市中级人民法院提出上诉。",
    },
    "review_opinion": {
        "request": "信访人不服甲县住房和城乡建设局的处理意见，请求复查。",
        "facts_and_reasons": "经复查，原处理意见认定事实清楚，转账凭证与协议约定的金额一致。",
        "opinion": "维持甲县住房和城乡建设局作出的处理意见。",
        "changed": "否",
        "legal_basis": "《信访工作条例》第三十五条，《国有土地上房屋征收与补偿条例》第二十五条。",
        "re_review_right": "信访人对本复查意见不服的，可以自收到本意见书之日起30日内，向西地市人民政府请求复核。",
    },
    "transfer_letter": {
        "request": "请求查处违法建设的临街商铺。",
        "receiving_organ": "甲县自然资源局",
        "petition_summary": "信访人反映城关镇幸福路临街商铺未经规划许可加建两层。",
        "notice_duty": "请自收到之日起15日内书面告知信访人接收情况以及处理途径和程序。",
    },
    "transfer_notice": {
        "request": "请求查处违法建设的临街商铺并恢复原状。",
        "destination": "你反映的事项已转送甲县自然资源局办理。",
    },
}


@dataclass(frozen=True)
class Issued:
    kind: str
    title: str
    organ: str
    number: str
    pdf: bytes
    docx: bytes
    content: dict[str, str]
    labels: dict[str, str]
    required: tuple[str, ...]


def sample(kind: str) -> dict[str, str]:
    """The sample for every item of the kind's current version; a choice item gets one of its choices."""
    version = default_document_kinds()[kind].version_on(dt.date(2026, 3, 2))
    values = SAMPLES.get(kind, {})
    content = {}
    for item in version.items:
        value = values.get(item.key) or f"{item.label}：示例内容（{kind}.{item.key}）"
        content[item.key] = value if not item.choices or value in item.choices else item.choices[-1]
    return content


class Desk:
    """Issues one document of every kind in the small city, each at the organ and stage where it belongs."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.documents: dict[str, Document] = {}

    def write(self, case: Case, kind: str, organ: Organ, day: str, *, serve: str = "") -> Document:
        role = Role.TRIAGE_OFFICER if organ.is_petition_bureau else Role.HANDLER
        who, approver = self.city.who(organ, role), self.city.who(organ, Role.APPROVER)
        document = services.draft(case, kind, who, now=at(day, 9))
        assert document.organ == organ, (kind, document.organ)
        document = services.update(document, sample(kind), who, now=at(day, 10))
        if services.kind(kind).version_on(dt.date.fromisoformat(day)).approval_required:
            document = services.approve(document, approver, now=at(day, 11))
        document = services.issue(document, who, now=at(day, 14))
        if serve:
            services.serve(document, who, method="in_person", served_on=dt.date.fromisoformat(serve), now=at(serve))
        self.documents[kind] = document
        return document

    def act(self, case: Case, name: str, organ: Organ, role: str, day: str, **payload: Any) -> Case:
        return perform(case, name, self.city.who(organ, role), payload, now=at(day))


def issue_every_kind() -> dict[str, Issued]:
    city = build_city()
    desk = Desk(city)
    housing, bureau = city.county_housing, city.county_bureau

    # At the county petition bureau: assigned to the county department, which reports back.
    routed = register(city, bureau, when="2026-03-02", request=SAMPLES["assignment_slip"]["request"])
    desk.act(routed, "triage", bureau, Role.TRIAGE_OFFICER, "2026-03-02", category="grievance")
    routed = desk.act(routed, "assign", bureau, Role.TRIAGE_OFFICER, "2026-03-03", target_organ=housing, days=30)
    for kind in (
        "assignment_slip",
        "transfer_letter",
        "transfer_notice",
        "not_accepted_notice",
        "warning_notice",
        "supervision_letter",
        "recommendation_letter",
    ):
        desk.write(routed, kind, bureau, "2026-03-03")
    child = routed.children.get()
    desk.write(child, "objection_letter", housing, "2026-03-05")
    desk.write(child, "completion_report", housing, "2026-03-30")

    # At the department, through 处理意见 → 复查意见 → 复核意见; issuing the 复核意见书 makes the matter final.
    case = register(city, housing, when="2026-03-02")
    desk.act(case, "triage", housing, Role.TRIAGE_OFFICER, "2026-03-02", category="grievance")
    desk.act(case, "accept", housing, Role.TRIAGE_OFFICER, "2026-03-02")
    desk.write(case, "receipt_notice", housing, "2026-03-03", serve="2026-03-03")
    for kind in ("referral_notice", "diversion_notice", "hearing_notice"):
        desk.write(case, kind, housing, "2026-03-04")
    desk.act(case, "investigate", housing, Role.HANDLER, "2026-03-04")
    # Issuing the 延期告知书 its head approved is the extension (Art. 34): the case moves to 延期办理.
    desk.write(case, "extension_notice", housing, "2026-04-20")
    case.refresh_from_db()
    assert case.state == "extended"
    desk.act(
        case,
        "issue_opinion",
        housing,
        Role.HANDLER,
        "2026-04-10",
        outcome="not_upheld",
        facts="补偿款已付清",
        reasons="有转账凭证",
        legal_basis="《国有土地上房屋征收与补偿条例》第二十五条",
    )
    desk.write(case, "handling_opinion", housing, "2026-04-10", serve="2026-04-13")
    case.refresh_from_db()
    case = desk.act(case, "request_review", city.county_gov, Role.REGISTRAR, "2026-04-20", received_on="2026-04-20")
    desk.write(case, "review_opinion", city.county_gov, "2026-05-11", serve="2026-05-12")
    case.refresh_from_db()
    case = desk.act(case, "request_re_review", city.gov, Role.REGISTRAR, "2026-05-20", received_on="2026-05-20")
    desk.write(case, "re_review_opinion", city.gov, "2026-06-10")
    case.refresh_from_db()
    assert case.state == "final" and case.matter.final_at is not None
    desk.write(register(city, bureau, when="2026-07-01"), "not_reaccepted_notice", bureau, "2026-07-02")

    # Mediation and settlement (Art. 33): issuing the agreement the parties signed settles the case.
    for kind in ("mediation_agreement", "settlement_agreement"):
        case = register(city, housing, when="2026-03-02")
        desk.act(case, "triage", housing, Role.TRIAGE_OFFICER, "2026-03-02", category="grievance")
        desk.act(case, "accept", housing, Role.TRIAGE_OFFICER, "2026-03-02")
        desk.act(case, "investigate", housing, Role.HANDLER, "2026-03-04")
        desk.act(case, "start_mediation", housing, Role.HANDLER, "2026-03-05", consent=True)
        desk.write(case, kind, housing, "2026-03-10")
        case.refresh_from_db()
        assert case.state == "settled"

    result = {}
    for kind, document in desk.documents.items():
        stored = Document.objects.get(pk=document.pk)
        assert stored.status in (Status.ISSUED, Status.SERVED)
        version = services.kind(kind).version_on(dt.date(2026, 3, 2))
        result[kind] = Issued(
            kind=kind,
            title=services.kind(kind).title,
            organ=stored.organ.name,
            number=stored.number,
            pdf=bytes(stored.pdf or b""),
            docx=bytes(stored.docx or b""),
            content=dict(stored.content),
            labels={item.key: item.label for item in version.items},
            required=tuple(item.key for item in version.items if not item.optional),
        )
    return result


@pytest.fixture(scope="module")
def issued(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Issued]]:
    """All twenty kinds issued once, in a transaction rolled back afterwards."""
    require_pdf_tools()
    with django_db_blocker.unblock(), transaction.atomic():
        result = issue_every_kind()
        transaction.set_rollback(True)
    yield result


def pdf_text(data: bytes) -> str:
    command = ["pdftotext", "-layout", "-", "-"]
    return flat(subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode())


def needles(document: Issued) -> list[str]:
    """Title, organ, number, and every required item's label and value (whitespace removed, as in `flat`)."""
    items = [text for key in document.required for text in (document.labels[key], document.content[key])]
    return [flat(text) for text in (document.title, document.organ, document.number, *items)]


def test_every_kind_has_its_sample() -> None:
    assert len(KINDS) == 20
    assert set(SAMPLES) == set(KINDS)  # a new kind needs its sample here


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_numbered_and_keeps_the_sample_content(issued: dict[str, Issued], kind: str) -> None:
    document = issued[kind]
    code = services.kind(kind).version_on(dt.date(2026, 3, 2)).number_code
    assert document.number == f"{document.organ}{code}〔2026〕1号"
    assert document.content == sample(kind)
    assert document.pdf.startswith(b"%PDF") and document.docx.startswith(b"PK")


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_holds_the_title_organ_number_and_every_required_item(issued: dict[str, Issued], kind: str) -> None:
    document = issued[kind]
    text = pdf_text(document.pdf)
    missing = [needle for needle in needles(document) if needle not in text]
    assert missing == [], f"{kind}: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_docx_holds_the_title_organ_number_and_every_required_item(issued: dict[str, Issued], kind: str) -> None:
    document = issued[kind]
    text = flat(docx_text(document.docx))
    missing = [needle for needle in needles(document) if needle not in text]
    assert missing == [], f"{kind}: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_page_one_is_rendered_for_a_look(issued: dict[str, Issued], kind: str) -> None:
    from PIL import Image  # installed with WeasyPrint

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{kind}.pdf"
    pdf.write_bytes(issued[kind].pdf)
    prefix = ARTIFACTS / kind
    command = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)]
    subprocess.run(command, capture_output=True, check=True)
    png = prefix.with_suffix(".png")
    assert png.exists() and png.stat().st_size > 5_000
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        assert abs(rgb.width - 496) <= 1 and abs(rgb.height - 702) <= 1  # A4 at 60 dpi
        red = count_pixels(rgb.crop((0, 0, rgb.width, rgb.height // 2)), lambda r, g, b: r > 180 and g < 80 and b < 80)
        dark = count_pixels(rgb, lambda r, g, b: r < 100 and g < 100 and b < 100)
        assert red > 500 and 1000 < dark < rgb.width * rgb.height // 10, (kind, red, dark)
