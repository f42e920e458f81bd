"""The SM3 event chain: any change outside the application is found and named by audit_verify."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import build_city, register
from xinfang.audit.chain import sm3_hex
from xinfang.audit.models import Event
from xinfang.intake.models import Petition
from xinfang.lifecycle.engine import perform
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def history() -> list[Petition]:
    city = build_city()
    cases = [register(city, request=f"诉求{i}") for i in range(3)]
    perform(cases[1], "triage", city.who(city.bureau, Role.TRIAGE_OFFICER), {"category": "grievance"})
    return [c.petition for c in cases]


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def failure() -> str:
    with pytest.raises(CommandError) as caught:
        verify()
    assert caught.value.returncode == 1
    return str(caught.value)


def test_untouched_chain_verifies(history: list[Petition]) -> None:
    assert "审计校验通过：7 个事件" in verify()
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GB/T 32905


def test_altered_event_is_named(history: list[Petition]) -> None:
    event = Event.objects.get(action="triage")
    Event.objects.filter(pk=event.pk).update(payload={"category": "suggestion"})
    assert f"事件 #{event.seq}（triage）的内容被改动" in failure()


def test_altered_event_with_recomputed_hash_breaks_the_next_link(history: list[Petition]) -> None:
    from xinfang.audit.chain import event_hash
    from xinfang.audit.services import hashed_fields

    event = Event.objects.get(seq=2)
    event.actor_label = "别人"
    Event.objects.filter(pk=event.pk).update(actor_label="别人", hash=event_hash(hashed_fields(event)))
    assert "事件 #3 的前一哈希与事件 #2 不符" in failure()


def delete_by_sql(seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE seq = %s", [seq])


def test_deleted_event_is_found(history: list[Petition]) -> None:
    delete_by_sql(3)  # the second petition's "receive"
    assert "事件 #3 缺失" in failure()


@pytest.mark.parametrize("field", ["request", "name", "facts", "id_number"])
def test_petition_changed_outside_the_application_is_named(history: list[Petition], field: str) -> None:
    petition = history[2]
    Petition.objects.filter(pk=petition.pk).update(**{field: "被改动的内容"})
    message = failure()
    assert f"信访件（id {petition.pk}）的内容在应用之外被改动" in message


def test_deleting_the_newest_event_is_found(history: list[Petition]) -> None:
    last = Event.objects.order_by("-seq").first()
    assert last is not None and last.action == "triage"
    delete_by_sql(last.seq)
    assert f"链头记录为 #{last.seq}" in failure()
