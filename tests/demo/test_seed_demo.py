"""`seed_demo`: every resting state appears, every role can log in, the chain verifies, a rerun is a no-op."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.demo.accounts import ACCOUNTS, ADMIN_PASSWORD, markdown_table
from xinfang.demo.content import TEMPLATES, fill
from xinfang.demo.content.base import PLACEHOLDERS
from xinfang.intake.models import Channel, Petition
from xinfang.lifecycle.models import Case, Reminder
from xinfang.lifecycle.states import State
from xinfang.org.models import Level, Organ, OrganKind, Role, Staff

User = get_user_model()


def seed() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Organ, User, Staff, Petition, Case, Event, Reminder))


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
    assert 190 <= petitions.count() <= 210
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
    assert first_problem() is None
    call_command("audit_verify", stdout=StringIO())

    before = counts()
    out, _ = seed()
    assert "未做任何改动" in out and counts() == before


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
