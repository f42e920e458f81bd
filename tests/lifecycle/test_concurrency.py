"""Two staff acting on one case at once: exactly one transition succeeds, the other gets a conflict."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.factories import build_city, register, staff
from xinfang.lifecycle.context import Conflict, Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_transitions_succeeds() -> None:
    city = build_city()
    case = register(city)
    seen_version = case.version
    actors = [city.who(city.bureau, Role.TRIAGE_OFFICER), staff(city.bureau, Role.TRIAGE_OFFICER)]
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]
    payloads = [{"category": "grievance"}, {"category": "suggestion"}]

    def act(index: int) -> None:
        try:
            barrier.wait()
            results[index] = perform(case.pk, "triage", actors[index], payloads[index], expected_version=seen_version)
        except Refused as refusal:
            results[index] = refusal
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    done = [r for r in results if isinstance(r, Case)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(done) == 1 and len(conflicts) == 1, results
    assert "刚刚已被他人办理" in conflicts[0].message and "请刷新后再操作" in conflicts[0].message
    case.refresh_from_db()
    assert case.version == seen_version + 1 and case.state == "triaged"
    assert case.category == done[0].category  # the winner's category, written once
