"""`seed_demo`: every resting state appears, every role can log in, written answers are issued and served
documents, the chain verifies, a rerun is a no-op."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from xinfang.audit.chain import sm3_hex
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.demo.accounts import ACCOUNTS, ADMIN_PASSWORD, markdown_table
from xinfang.demo.content import TEMPLATES, fill
from xinfang.demo.content.base import PLACEHOLDERS
from xinfang.documents.models import Document, Service, ServiceMethod, Status
from xinfang.intake.models import Channel, Petition
from xinfang.lifecycle.models import Case, Clock, Reminder
from xinfang.lifecycle.states import State
from xinfang.org.models import Level, Organ, OrganKind, Role, Staff
from xinfang.rules.documents import default_document_kinds
from xinfang.supervision.models import (
    Assignment,
    CampaignCase,
    Kind,
    Order,
    OrderState,
    Recommendation,
    RecState,
    Review,
    ReviewItem,
)

User = get_user_model()


def seed() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Organ, User, Staff, Petition, Case, Event, Reminder, Document, Service))


def check_documents() -> None:
    """The written answers are documents: signed, numbered without gaps, hashed in the chain, served."""
    kinds = dict(Document.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    assert kinds.keys() >= {"handling_opinion", "review_opinion", "re_review_opinion", "receipt_notice"}, kinds
    served = Service.objects.select_related("document")
    for kind in ("handling_opinion", "review_opinion", "receipt_notice"):
        assert served.filter(document__kind=kind).exists(), kind
    assert set(served.values_list("method", flat=True)) >= {ServiceMethod.IN_PERSON, ServiceMethod.POST}
    assert all(s.tracking_number for s in served.filter(method=ServiceMethod.POST))
    # Only the demo's draft recommendation (建议书 草稿, a state shown on purpose) is left unissued.
    unissued = Document.objects.filter(status__in=[Status.DRAFT, Status.APPROVED])
    assert list(unissued.values_list("kind", flat=True)) == ["recommendation_letter"]

    # Each state after a written answer rests on that answer, served (or, for the 复核意见书, issued).
    for state, kind, status in (
        (State.OPINION_ISSUED, "handling_opinion", Status.ISSUED),
        (State.OPINION_DELIVERED, "handling_opinion", Status.SERVED),
        (State.REVIEW_DELIVERED, "review_opinion", Status.SERVED),
        (State.FINAL, "re_review_opinion", Status.ISSUED),
    ):
        for case in Case.objects.filter(state=state):
            assert case.documents.filter(kind=kind, status=status).exists(), (state, case.pk)
    for service in served.filter(document__kind="handling_opinion"):
        window = Clock.objects.get(case=service.document.case_id, rule="review_request")
        assert window.start == service.served_on  # the petitioner's 30 days run from the served date

    issued = {e.payload["document"]: e.payload for e in Event.objects.filter(action="issue_document")}
    numbers: dict[tuple[int, str, int | None], list[int]] = {}
    for document in Document.objects.exclude(status__in=[Status.DRAFT, Status.APPROVED]).select_related(
        "approved_by", "organ"
    ):
        pdf, docx = bytes(document.pdf or b""), bytes(document.docx or b"")
        assert pdf.startswith(b"%PDF") and docx.startswith(b"PK")
        assert sm3_hex(pdf) == document.pdf_sm3 == issued[document.pk]["pdf_sm3"], document.number
        assert sm3_hex(docx) == document.docx_sm3 == issued[document.pk]["docx_sm3"], document.number
        assert issued[document.pk]["number"] == document.number
        assert document.number.endswith(f"〔{document.year}〕{document.serial}号")
        template = default_document_kinds()[document.kind]
        if next(v for v in template.versions if v.version == document.version).approval_required:  # 办理审核
            assert document.approved_by is not None and document.approved_by.organ_id == document.organ_id
            assert Role.APPROVER in document.approved_by.roles
        numbers.setdefault((document.organ_id, document.kind, document.year), []).append(document.serial or 0)
    assert all(sorted(serials) == list(range(1, len(serials) + 1)) for serials in numbers.values())


def check_supervision() -> None:
    """Orders open, urged after going unanswered, answered and closed; a recommendation in every state."""
    states = set(Order.objects.values_list("state", flat=True))
    assert states >= {OrderState.OPEN, OrderState.URGED, OrderState.CLOSED}, states
    assert Order.objects.filter(state=OrderState.URGED, urged=1).exists()
    assert Event.objects.filter(action="supervision_order_overdue").exists()
    assert Order.objects.filter(replies__isnull=False).exists()
    assert set(Recommendation.objects.values_list("state", flat=True)) == set(RecState.values)
    assert Recommendation.objects.filter(kind=Kind.ACCOUNTABILITY).exists()
    assert Recommendation.objects.filter(state=RecState.SERVED, late_since__isnull=False).exists()
    assert Document.objects.filter(kind="supervision_letter", status=Status.ISSUED).count() == Order.objects.count()
    assert Review.objects.filter(confirmed_at__isnull=False).exists()
    assert ReviewItem.objects.filter(result="fail", note__gt="").exists()
    assert Assignment.objects.filter(level="national", reported_at__isnull=True).exists()
    assert Assignment.objects.filter(reported_at__isnull=False).exists()
    assert CampaignCase.objects.filter(resolved=True).exists() and CampaignCase.objects.filter(resolved=False).exists()


def check_warning() -> None:
    """A growing topic flagged at the city bureau, its 预警提示函 issued to the department, reply period running;
    a smaller topic with collective visits left as a weak signal."""
    from xinfang.warning.models import Alert, Kind

    alert = Alert.objects.get(organ__name="西地市信访局", topic="锦绣家园")
    assert alert.kind == Kind.HOTSPOT and alert.status == "confirmed"
    assert alert.addressee is not None and alert.addressee.name == "东城区住房和城乡建设局"
    assert alert.notice is not None and alert.notice.status == Status.ISSUED and alert.reply_due is not None
    assert Alert.objects.filter(organ__name="西地市信访局", topic="翠湖花园", kind=Kind.WEAK).exists()


@pytest.mark.django_db
def test_seed_demo_covers_every_state_and_is_idempotent() -> None:
    # As after `./dev start`: the admin user exists, without a staff record.
    User.objects.create_superuser("admin", "admin@example.invalid", ADMIN_PASSWORD)

    out, err = seed()
    assert err == "", err  # no step of any story was refused by the engine
    assert "审计校验通过" in out

    resting = {s.value for s in State if s != State.RECEIVED}
    present = set(Case.objects.values_list("state", flat=True).distinct())
    assert resting <= present, f"missing: {sorted(resting - present)}"
    assert not Case.objects.filter(state=State.RECEIVED).exists()

    for role in Role:
        assert any(role in a.roles for a in ACCOUNTS), role
    for account in ACCOUNTS:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None, account.username
        staff = Staff.objects.get(user=user)
        assert staff.organ.name == account.organ and set(staff.roles) == set(account.roles)
    assert User.objects.get(username="admin").is_superuser

    petitions = Petition.objects.all()
    assert 190 <= petitions.count() <= 220  # ~200 stories and the 10 petitions of the warning demo
    assert set(petitions.values_list("channel", flat=True)) == set(Channel.values)
    assert petitions.filter(anonymous=True).exists() and petitions.filter(is_repeat=True).count() >= 5
    assert petitions.filter(collective=True, headcount__gte=2).exists()
    now = timezone.now()
    assert all(now - dt.timedelta(days=200) <= p.received_at <= now for p in petitions)
    assert all("{" not in p.request + p.facts + p.reasons for p in petitions)  # every placeholder filled

    cases = Case.objects.all()
    assert cases.filter(overdue=True).count() >= 5 and Reminder.objects.exists()
    assert cases.filter(supervised=True).exists() and cases.filter(leader_case=True).exists()
    assert cases.filter(organ__kind=OrganKind.DISCIPLINE, petition__accused_organ__isnull=False).exists()
    assert cases.filter(state=State.NOT_REACCEPTED, matter__final_at__isnull=False).exists()
    assert cases.filter(clocks__rule="handling_extension").exists() and cases.filter(major_urgent=True).exists()
    assert Event.objects.filter(action="end_re_review_hearing").exists()
    check_documents()
    check_portal(out)
    check_systems()
    check_supervision()
    check_warning()
    check_statistics()
    assert first_problem() is None
    call_command("audit_verify", stdout=StringIO())

    before = counts()
    out, _ = seed()
    assert "未做任何改动" in out and counts() == before


def check_statistics() -> None:
    """The rollups agree with the event chain, and last quarter's 季报 is there to download."""
    from xinfang.analytics.models import Report, ReportStatus

    out = StringIO()
    call_command("analytics_rollup", "--check", stdout=out)
    assert "与事件推算结果一致" in out.getvalue()
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE and bytes(report.pdf).startswith(b"%PDF")
    assert Event.objects.filter(action="decide_review", payload__changed="否").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_to_take_over_an_account_in_use() -> None:
    organ = Organ.objects.create(name="某机关", level=Level.CITY, kind=OrganKind.OTHER, region_code="990100")
    user = User.objects.create_user("registrar", password="x")
    Staff.objects.create(user=user, organ=organ, roles=[Role.REGISTRAR], display_name="某人")
    with pytest.raises(CommandError, match="registrar"):
        seed()
    assert Organ.objects.count() == 1 and not Petition.objects.exists()


def test_templates_use_only_known_placeholders_and_accounts_table() -> None:
    context = {name: "X" for name in PLACEHOLDERS}
    for template in TEMPLATES:
        texts = [template.summary, template.request, template.facts, template.reasons, template.finding]
        texts += [template.remedy, template.duty, template.agreement, template.reply, template.result]
        texts += [pair[1] for pair in (template.divert, template.refer) if pair]
        for text in texts:
            assert "{" not in fill(text, context), (template.key, text)
    table = markdown_table()
    assert table.count("\n") == len(ACCOUNTS) + 1 and "`admin` | `xinfang-admin`" in table


def check_portal(out: str) -> None:
    """The printed demo codes open their petitions; a follow-up waits; hearings are published."""
    from xinfang.portal.models import FollowUp, HearingResult
    from xinfang.portal.services import code_matches

    shown = re.findall(r"信访件编号 (XF\d+)，查询码 (DEMO-\d{4})", out)
    assert len(shown) == 2, out[-500:]
    for number, code in shown:
        petition = Petition.objects.get(number=number)
        assert code_matches(petition.pk, code) and not code_matches(petition.pk, "DEMO-0000")
    assert FollowUp.objects.filter(recorded_at__isnull=True).exists()
    assert HearingResult.objects.count() == Event.objects.filter(action="end_re_review_hearing").count()


def check_systems() -> None:
    """The accusation at the 纪委监委 is hidden from the accused and the bureaus; a court's review stays in courts."""
    from django.test import Client

    from tests.confidentiality.test_every_url import leaks_for
    from xinfang.demo.systems import ACCUSATION

    accusation = Case.objects.get(organ__name="西地市纪委监委", petition__request=ACCUSATION["request"])
    assert accusation.state == State.ACCUSATION_HANDLING and not accusation.clocks.filter(rule="receipt_notice")
    petition = accusation.petition
    secrets = (ACCUSATION["request"][:12], ACCUSATION["facts"][:12], petition.name, petition.contact)
    for username in ("district_registrar", "district_bureau", "registrar", "triage", "supervisor", "analyst", "leader"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert leaks_for(client, [accusation.pk], secrets) == [], username
    discipline = Client()
    discipline.force_login(User.objects.get(username="discipline"))
    assert ACCUSATION["request"] in discipline.get(f"/work/cases/{accusation.pk}/").content.decode()

    court_case = Case.objects.get(organ__name="东城区人民法院", state=State.REVIEW_REQUESTED)
    assert court_case.review_organ is not None and court_case.review_organ.name == "西地市中级人民法院"
    assert court_case.acting_organ == court_case.review_organ
