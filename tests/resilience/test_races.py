"""Item 5 of issue 12 (concurrency), beyond tests/lifecycle/test_concurrency.py (two staff, an expected version)
and tests/documents/test_services.py (concurrent issues): many staff acting on one case at once without a
version check, where the row lock alone must let exactly one through; and document numbers that stay gap-free
when some of the racing transactions roll back after taking a number. Both end with a verifying event chain.

Threads on PostgreSQL; on SQLite one writer at a time makes the races trivial (the lifecycle race still runs)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from tests.factories import build_city, register, staff
from xinfang.audit.models import Event
from xinfang.audit.verify import first_problem
from xinfang.documents import services as documents
from xinfang.documents.models import Document
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def race(count: int, act: Callable[[int], Any]) -> list[Any]:
    """Run ``act(i)`` in ``count`` threads released together; each result or exception in its slot."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = act(index)
        except Exception as error:  # collected and asserted by the caller
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


def test_many_staff_triaging_one_case_at_once_exactly_one_wins() -> None:
    count = 8 if connection.vendor == "postgresql" else 4
    city = build_city()
    case = register(city)
    officers = [city.who(city.bureau, Role.TRIAGE_OFFICER)] + [
        staff(city.bureau, Role.TRIAGE_OFFICER) for _ in range(count - 1)
    ]
    categories = ["grievance", "suggestion"] * count
    results = race(count, lambda i: perform(case.pk, "triage", officers[i], {"category": categories[i]}))
    won = [r for r in results if isinstance(r, Case)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(won) == 1 and len(refused) == count - 1, results
    case.refresh_from_db()
    assert case.state == "triaged" and case.category == won[0].category
    assert Event.objects.filter(case_id=case.pk, action="triage").count() == 1
    assert first_problem() is None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_racing_document_numbers_stay_gap_free_when_some_transactions_roll_back() -> None:
    count = 24
    city = build_city()
    handler = city.who(city.county_housing, Role.HANDLER)
    drafts = []
    for index in range(count):
        case = register(city, city.county_housing, request=f"请求事项{index}")
        draft = documents.draft(case, "transfer_notice", handler)
        drafts.append(documents.update(draft, {"destination": "甲县自然资源局"}, handler))

    class Abandoned(Exception):
        pass

    def issue(index: int) -> int:
        with transaction.atomic():
            document = documents.issue(drafts[index], handler)
            if index % 3 == 0:  # the surrounding work fails after the number was taken: all of it rolls back
                raise Abandoned()
        return int(document.serial or 0)

    results = race(count, issue)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, Abandoned)]
    assert unexpected == []
    kept = count - len(range(0, count, 3))
    serials = sorted(
        s for s in Document.objects.filter(kind="transfer_notice").values_list("serial", flat=True) if s is not None
    )
    assert serials == list(range(1, kept + 1))  # consecutive from 1: no number lost to a rolled-back issue
    assert sorted(r for r in results if isinstance(r, int)) == serials
    numbers = list(Document.objects.exclude(number="").values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == kept
    assert first_problem() is None
