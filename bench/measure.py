"""The timed part: registration and transitions through the real services, queue reads, the daily scan."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from xinfang.intake.services import PetitionInput, register_petition
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case, Clock
from xinfang.lifecycle.scan import scan_deadlines
from xinfang.lifecycle.states import NON_TERMINAL
from xinfang.org.models import Level, Organ, OrganKind, Role, Staff

CST = ZoneInfo(settings.TIME_ZONE)
WARMUP = 3


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered) * 1000, "p95": p95 * 1000, "max": ordered[-1] * 1000, "n": len(ordered)}


def timed(reps: int, run: Callable[[int], Any]) -> dict[str, float]:
    samples = []
    for i in range(reps):
        started = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - started)
    return summary(samples)


def explain(qs: QuerySet) -> str:
    if connection.vendor == "postgresql":
        return qs.explain(analyze=True, buffers=True)
    return qs.explain()


def explain_sql(sql: str) -> str:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


# The queries of the brief, exactly as a view would build them.


def my_queue(organ: Organ) -> QuerySet:
    states = sorted(NON_TERMINAL)
    return (
        Case.objects.filter(acting_organ=organ, state__in=states)
        .select_related("petition")
        .order_by("-updated_at")[:50]
    )


def due_soon(organ: Organ, today: dt.date) -> QuerySet:
    soon = today + dt.timedelta(days=3)
    return Clock.objects.filter(organ=organ, status="running", due__gte=today, due__lte=soon).order_by("due")[:100]


def overdue(organ: Organ, today: dt.date) -> QuerySet:
    return Clock.objects.filter(organ=organ, status="running", legal_last_day__lt=today)


def pick_organs() -> dict[str, Organ]:
    by_cases = Case.objects.values("organ").annotate(n=Count("id")).order_by("-n").first()
    by_queue = (
        Case.objects.filter(state__in=sorted(NON_TERMINAL))
        .values("acting_organ")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    county_dept = (
        Case.objects.filter(organ__level=Level.COUNTY, organ__kind=OrganKind.FUNCTIONAL)
        .values("organ")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert by_cases and by_queue and county_dept, "no cases: generate first"
    return {
        "most cases": Organ.objects.get(pk=by_cases["organ"]),
        "longest queue": Organ.objects.get(pk=by_queue["acting_organ"]),
        "registration": Organ.objects.get(pk=county_dept["organ"]),
    }


def petition_input(i: int, now: dt.datetime) -> PetitionInput:
    return PetitionInput(
        channel="visit",
        request="请求补发拖欠的房屋征收补偿款",
        region_code="990102",
        received_at=now,
        name=f"测试{i}",
        id_number="11010519491231002X",
        address="甲县城关镇幸福路1号",
        contact="13800000000",
        facts="2024年房屋被征收，补偿款至今未付清",
        reasons="征收补偿协议约定一年内付清",
    )


def measure(today: dt.date, reps: int, log: Callable[[str], None]) -> dict[str, Any]:
    results: dict[str, Any] = {"today": today.isoformat(), "reps": reps}
    organs = pick_organs()
    results["organs"] = {
        role: {
            "id": o.pk,
            "name": o.name,
            "cases": Case.objects.filter(organ=o).count(),
            "open cases acting": Case.objects.filter(acting_organ=o, state__in=sorted(NON_TERMINAL)).count(),
            "running clocks": Clock.objects.filter(organ=o, status="running").count(),
        }
        for role, o in organs.items()
    }
    log(f"  organs: {results['organs']}")
    timings: dict[str, Any] = {}
    plans: dict[str, str] = {}

    # Reads, for the organ with most cases and the organ with the longest queue.
    for role in ("most cases", "longest queue"):
        organ = organs[role]
        queries: dict[str, Callable[[], QuerySet]] = {
            "my queue": lambda organ=organ: my_queue(organ),
            "due within 3 days": lambda organ=organ: due_soon(organ, today),
            "overdue": lambda organ=organ: overdue(organ, today),
        }
        for name, build in queries.items():
            for _ in range(WARMUP):
                list(build())
            key = f"{name} [{role}]"
            timings[key] = timed(reps, lambda _i, build=build: list(build()))
            timings[key]["rows"] = len(list(build()))
            plans[key] = explain(build())
            log(f"  {key:<34} {fmt(timings[key])}  rows {timings[key]['rows']}")
    # The daily scan, on the state the generator left: the day's overdue, reminders and lapsed windows.
    scan_now = dt.datetime.combine(today, dt.time(1, 0), CST)
    started = time.perf_counter()
    found = scan_deadlines(now=scan_now)
    timings["scan"] = {"seconds": time.perf_counter() - started, **vars(found)}
    log(f"  {'scan':<34} {timings['scan']['seconds']:.2f} s  {vars(found)}")
    # Again, with nothing left to do: what the scan's own reads cost. Its queries are captured and the
    # slowest are explained, so that a plan that walks the whole table shows up here.
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        found = scan_deadlines(now=scan_now)
        timings["scan again (nothing to do)"] = {"seconds": time.perf_counter() - started, **vars(found)}
    log(f"  {'scan again (nothing to do)':<34} {timings['scan again (nothing to do)']['seconds']:.2f} s")
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    for rank, query in enumerate(slowest, start=1):
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT"):
            plain = sql.replace(" FOR UPDATE SKIP LOCKED", "")  # EXPLAIN of the read itself
            plans[f"scan query {rank} ({float(query['time']) * 1000:.1f} ms): {sql}"] = explain_sql(plain)

    # Writes through the real services, by real staff, at office hours today.
    organ = organs["registration"]
    staff = list(Staff.objects.select_related("organ", "user").filter(organ=organ))
    registrar = next(s for s in staff if s.has_role(Role.REGISTRAR))
    triage = next(s for s in staff if s.has_role(Role.TRIAGE_OFFICER))
    base = dt.datetime.combine(today, dt.time(10, 0), CST)
    cases: list[Case] = []

    def register(i: int) -> None:
        now = base + dt.timedelta(seconds=i)
        cases.append(register_petition(petition_input(i, now), organ=organ, actor=registrar, now=now))

    for i in range(WARMUP):
        register(-WARMUP + i)
    timings["register_petition"] = timed(reps, register)
    log(f"  {'register_petition':<34} {fmt(timings['register_petition'])}")
    cases = cases[WARMUP:]
    for name, payload, minutes in (("triage", {"category": "grievance"}, 30), ("accept", {}, 60)):
        later = base + dt.timedelta(minutes=minutes)
        timings[f"perform {name}"] = timed(
            reps, lambda i, name=name, payload=payload, later=later: perform(cases[i], name, triage, payload, now=later)
        )
        log(f"  {'perform ' + name:<34} {fmt(timings[f'perform {name}'])}")
    # One more of each, counting the statements it sends (not timed).
    with CaptureQueriesContext(connection) as captured:
        register(reps)
    timings["register_petition"]["queries"] = len(captured)
    for name, payload in (("triage", {"category": "grievance"}), ("accept", {})):
        with CaptureQueriesContext(connection) as captured:
            perform(cases[-1], name, triage, payload, now=base + dt.timedelta(hours=2))
        timings[f"perform {name}"]["queries"] = len(captured)
    results["timings"] = timings
    results["plans"] = plans
    return results


def fmt(t: dict[str, float]) -> str:
    return f"p50 {t['p50']:7.2f} ms  p95 {t['p95']:7.2f} ms  max {t['max']:8.2f} ms"
