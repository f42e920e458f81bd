#!/usr/bin/env python
"""Analytics benchmark: generate N petitions of history (bench/history.py, as the lifecycle benchmark does),
then time the full rebuild of the statistics rollups, a nightly increment, the agreement of the two, and the
statistics page for a city-wide year and for one county (p50/p95 over --reps requests).

    .venv/bin/python bench/analytics.py --db sqlite --n 20000
    .venv/bin/python bench/analytics.py --db postgres --n 1000000

Its own database: var/bench/xinfang-analytics.sqlite3, or the PostgreSQL database xinfang_analytics_bench
(dropped and created). Figures are printed and written to var/bench/analytics-<db>-<n>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lifecycle import OUT, fresh_database, log  # noqa: E402

SQLITE_FILE = OUT / "xinfang-analytics.sqlite3"
PG_DATABASE = "xinfang_analytics_bench"
TARGETS = {"page p95 (ms)": 1000.0, "increment (s)": 60.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--n", type=int, default=20_000, help="number of petitions")
    parser.add_argument("--reps", type=int, default=30, help="requests per page measured")
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--batch", type=int, default=20000)
    parser.add_argument("--today")
    parser.add_argument("--pages-only", action="store_true", help="reuse the database as it is: time the pages only")
    parser.add_argument("--pg-database", default=PG_DATABASE, help="the PostgreSQL database (dropped and created)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the database as it is (e.g. the lifecycle benchmark's, renamed): rebuild, a day's work, "
        "the increment, --check and the pages; nothing is generated or dropped",
    )
    parser.add_argument(
        "--from-increment",
        action="store_true",
        help="with --reuse: the rebuild and the day's work are done already; time the increment, --check, pages",
    )
    args = parser.parse_args()

    if args.pages_only or args.reuse:
        from bench.lifecycle import PG_SERVER

        os.environ["DATABASE_URL"] = (
            f"{PG_SERVER}/{args.pg_database}" if args.db == "postgres" else f"sqlite:///{SQLITE_FILE}"
        )
    else:
        os.environ["DATABASE_URL"] = fresh_database(args.db, SQLITE_FILE, args.pg_database)
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("XINFANG_FIELD_KEY", secrets.token_hex(16))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    today = dt.date.fromisoformat(args.today) if args.today else timezone.localdate()
    result: dict[str, Any] = {"db": args.db, "n": args.n, "today": today.isoformat()}
    if args.pages_only:
        result.update(pages(today, args.reps))
    elif args.reuse:
        result.update(measure_day(today, args.reps, from_increment=args.from_increment))
    else:
        started = time.perf_counter()
        generate_world(args.n, today, args.seed, log)
        result["generation"] = time.perf_counter() - started
        result.update(measure(today, args.reps))
    out = OUT / f"analytics-{args.db}-{args.n}{'-pages' if args.pages_only else '-reuse' if args.reuse else ''}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    log(json.dumps(result, ensure_ascii=False, indent=1))
    for key, limit in TARGETS.items():
        found = [v for k, v in result.items() if k.startswith(key.split(" (")[0]) and isinstance(v, float)]
        if not found:
            continue
        worst = max(found)
        log(f"  {key}: {worst:.1f} (target {limit:g} at 1M: {'PASS' if worst < limit else 'FAIL'})")


def generate_world(n: int, today: dt.date, seed: int, log: Any) -> None:
    """A synthetic city written in bulk: the rows the analytics reads (cases, clocks, events, ratings).

    Not a lifecycle simulation (bench/history.py does that): 13 governments with a bureau and 10 departments
    each; petitions over 730 days; 80% accepted within 0-5 days; receipt notices met in 1-20 days (15 allowed);
    handling met in 20-75 days (60 allowed) for 85%, else still running; 70% of concluded opinions served,
    40% of those rated, 10% reviewed (a third of reviews changed). Events carry no valid hash chain.
    """
    import random

    from django.contrib.auth import get_user_model

    from xinfang.audit.models import Event
    from xinfang.intake.models import Matter, Petition
    from xinfang.lifecycle.models import Case, Clock
    from xinfang.org.models import Organ, Staff
    from xinfang.portal.models import Rating

    rng = random.Random(seed)
    tz = dt.timezone(dt.timedelta(hours=8))
    city = Organ.objects.create(name="基准市人民政府", level="city", kind="other", region_code="980100")
    depts: list[Organ] = []
    for i in range(13):
        gov = (
            city
            if i == 0
            else Organ.objects.create(
                name=f"基准{i}县人民政府", level="county", kind="other", region_code=f"9801{i:02d}", superior=city
            )
        )
        bureau = Organ.objects.create(
            name=f"{gov.name}信访局", level=gov.level, kind="petition_bureau", region_code=gov.region_code, superior=gov
        )
        user = get_user_model().objects.create_user(f"bench-analyst-{i}")
        Staff.objects.create(user=user, organ=bureau, roles=["analyst"], display_name=f"分析员{i}")
        for j in range(10):
            depts.append(
                Organ.objects.create(
                    name=f"{gov.name}第{j}局",
                    level=gov.level,
                    kind="functional",
                    region_code=gov.region_code,
                    superior=gov,
                )
            )
    seq = iter(range(1, 10**9))
    anchor = Event.objects.create(
        seq=next(seq), at=dt.datetime.now(tz), actor_label="基准", action="bench", prev_hash="0" * 64, hash="0" * 64
    )
    first = today - dt.timedelta(days=730)
    batch = 5000
    for base in range(0, n, batch):
        matters, petitions, cases = [], [], []
        for i in range(base, min(n, base + batch)):
            organ = rng.choice(depts)
            at = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(730)), dt.time(10), tzinfo=tz)
            matters.append(Matter(summary="基准事项", region_code=organ.region_code, created_at=at))
            petitions.append(
                Petition(
                    number=f"BX{i:010d}",
                    channel=rng.choice(["online", "visit", "letter"]),
                    received_at=at,
                    receiving_organ=organ,
                    registered_at=at,
                    request="基准诉求",
                    region_code=organ.region_code,
                    is_repeat=rng.random() < 0.08,
                )
            )
        Matter.objects.bulk_create(matters)
        for m, p in zip(matters, petitions, strict=True):
            p.matter = m
        Petition.objects.bulk_create(petitions)
        for p in petitions:
            accepted = p.received_at + dt.timedelta(days=rng.randrange(6)) if rng.random() < 0.8 else None
            state = "investigating" if accepted else "registered"
            cases.append(
                Case(
                    petition=p,
                    matter=p.matter,
                    organ=p.receiving_organ,
                    acting_organ=p.receiving_organ,
                    state=state,
                    category=rng.choice(["grievance", "grievance", "suggestion"]),
                    received_at=p.received_at,
                    accepted_at=accepted,
                    updated_at=p.received_at,
                )
            )
        Case.objects.bulk_create(cases)
        clocks, events, ratings = [], [], []
        for c in cases:
            start = c.received_at.date()
            met = start + dt.timedelta(days=rng.randint(1, 20))
            clocks.append(_clock(c, "receipt_notice", start, 15, met if met <= today else None, anchor))
            if c.accepted_at is None:
                continue
            begun = c.accepted_at.date()
            stop = begun + dt.timedelta(days=rng.randint(20, 75)) if rng.random() < 0.85 else None
            stop = stop if stop is not None and stop <= today else None
            clocks.append(_clock(c, "handling", begun, 60, stop, anchor))
            if stop is None:
                continue
            c.state = "opinion_issued"
            if rng.random() < 0.7:
                served = dt.datetime.combine(stop + dt.timedelta(days=2), dt.time(11), tzinfo=tz)
                c.state = "opinion_delivered"
                events.append(_event(next(seq), served, c, "serve_opinion", {}))
                if rng.random() < 0.4:
                    level = rng.choice(["satisfied", "satisfied", "basically", "unsatisfied"])
                    label = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}[level]
                    when = served + dt.timedelta(days=3)
                    ratings.append(
                        Rating(
                            petition_id=c.petition_id,
                            case=c,
                            organ_id=c.organ_id,
                            aspect="result",
                            level=level,
                            reason="基准",
                            created_at=when,
                        )
                    )
                    events.append(_event(next(seq), when, c, "rate", {"aspect": "办理结果", "level": label}))
                if rng.random() < 0.1:
                    events.append(
                        _event(
                            next(seq),
                            served + dt.timedelta(days=40),
                            c,
                            "decide_review",
                            {"changed": "是" if rng.random() < 0.33 else "否"},
                        )
                    )
        Case.objects.bulk_update([c for c in cases if c.state != "investigating"], ["state"], batch_size=2000)
        Clock.objects.bulk_create(clocks, batch_size=2000)
        Event.objects.bulk_create(events, batch_size=2000)
        Rating.objects.bulk_create(ratings, batch_size=2000)
        log(f"  generated {min(n, base + batch):,} of {n:,} petitions")


def _clock(case: Any, rule: str, start: dt.date, days: int, stopped: dt.date | None, anchor: Any) -> Any:
    from xinfang.lifecycle.models import Clock

    due = start + dt.timedelta(days=days)
    return Clock(
        case=case,
        organ_id=case.organ_id,
        rule=rule,
        party="organ",
        start=start,
        days=days,
        due=due,
        legal_last_day=due,
        basis="基准",
        status="met" if stopped else "running",
        stopped_on=stopped,
        started_event=anchor,
    )


def _event(seq: int, at: dt.datetime, case: Any, action: str, payload: dict[str, Any]) -> Any:
    from xinfang.audit.models import Event

    return Event(
        seq=seq,
        at=at,
        actor_label="基准",
        organ_id=case.organ_id,
        case_id=case.pk,
        petition_id=case.petition_id,
        action=action,
        payload=payload,
        prev_hash="0" * 64,
        hash="0" * 64,
    )


def measure(today: dt.date, reps: int) -> dict[str, Any]:

    from xinfang.analytics.models import MonthRollup, Rollup
    from xinfang.analytics.services import increment, rebuild

    out: dict[str, Any] = {}
    started = time.perf_counter()
    rebuilt = rebuild(
        today=today, progress=lambda d, t, note: log(f"  rebuild [{d}/{t}] {note}") if d % 6 == 0 else None
    )
    out["rebuild (s)"] = time.perf_counter() - started
    out["facts"], out["rollups"], out["days"] = rebuilt.facts, rebuilt.rollups, rebuilt.days
    log(f"  full rebuild: {out['rebuild (s)']:.1f} s, {rebuilt.facts:,} facts, {rebuilt.rollups:,} rollups")
    snapshot = sorted(Rollup.objects.values_list("day", "key", "organ_id", "count", "total"))

    started = time.perf_counter()
    increment(today=today + dt.timedelta(days=1))
    out["increment (s)"] = time.perf_counter() - started
    log(f"  nightly increment (the next day, no new events): {out['increment (s)']:.2f} s")
    again = sorted(Rollup.objects.values_list("day", "key", "organ_id", "count", "total"))
    rebuild(today=today + dt.timedelta(days=1))
    out["increment agrees with rebuild"] = again == sorted(
        Rollup.objects.values_list("day", "key", "organ_id", "count", "total")
    )
    out["rollups changed by the day"] = len(set(again) ^ set(snapshot))
    log(f"  increment agrees with a rebuild: {out['increment agrees with rebuild']}")
    from xinfang.analytics.check import check

    started = time.perf_counter()
    agreement = check(today + dt.timedelta(days=1))
    out["check (s)"] = time.perf_counter() - started
    out["recompute command agrees"] = agreement.agrees
    out["month rollups"] = MonthRollup.objects.count()
    log(f"  analytics_rollup --check: agrees {agreement.agrees} in {out['check (s)']:.1f} s")
    for line in agreement.differences[:3]:
        log(f"    {line}")

    out.update(pages(today, reps))
    return out


def a_day_of_work(day: dt.date) -> int:
    """What a city's next working day adds to the chain: its share of new petitions registered, triaged and
    accepted through the real services, and the night's deadline scan. Returns the events added."""
    from bench.measure import CST, petition_input, pick_organs
    from xinfang.audit.models import Event
    from xinfang.intake.models import Petition
    from xinfang.intake.services import register_petition
    from xinfang.lifecycle.engine import perform
    from xinfang.lifecycle.scan import scan_deadlines
    from xinfang.org.models import Role, Staff

    before = Event.objects.count()
    per_day = max(Petition.objects.count() // 730, 10)
    organ = pick_organs()["registration"]
    staff = list(Staff.objects.select_related("organ", "user").filter(organ=organ))
    registrar = next(s for s in staff if s.has_role(Role.REGISTRAR))
    triage = next(s for s in staff if s.has_role(Role.TRIAGE_OFFICER))
    scan_deadlines(now=dt.datetime.combine(day, dt.time(1, 0), CST))
    base = dt.datetime.combine(day, dt.time(9, 0), CST)
    for i in range(per_day):
        now = base + dt.timedelta(seconds=20 * i)
        case = register_petition(petition_input(i, now), organ=organ, actor=registrar, now=now)
        if i % 2 == 0:
            perform(case, "triage", triage, {"category": "grievance"}, now=now + dt.timedelta(minutes=30))
            perform(case, "accept", triage, {}, now=now + dt.timedelta(minutes=40))
    return Event.objects.count() - before


def measure_day(today: dt.date, reps: int, *, from_increment: bool = False) -> dict[str, Any]:
    """On an existing database: the full rebuild, then a day's work and the nightly increment, then --check."""
    from xinfang.analytics.check import check
    from xinfang.analytics.models import MonthRollup, Rollup
    from xinfang.analytics.services import increment, rebuild

    out: dict[str, Any] = {}
    tomorrow = today + dt.timedelta(days=1)
    if not from_increment:
        started = time.perf_counter()
        rebuilt = rebuild(today=today, progress=lambda d, t, note: log(f"  rebuild [{d}/{t}] {note}"))
        out["rebuild (s)"] = time.perf_counter() - started
        out["facts"], out["rollups"], out["days"] = rebuilt.facts, rebuilt.rollups, rebuilt.days
        log(f"  full rebuild: {out['rebuild (s)']:.1f} s, {rebuilt.facts:,} facts, {rebuilt.rollups:,} rollups")
        started = time.perf_counter()
        out["events of the day"] = a_day_of_work(tomorrow)
        log(f"  a day of work: {out['events of the day']:,} events in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    done = increment(today=tomorrow)
    out["increment days"], out["increment facts"] = done.days, done.facts
    out["increment (s)"] = time.perf_counter() - started
    log(f"  nightly increment: {out['increment (s)']:.2f} s")
    started = time.perf_counter()
    agreement = check(tomorrow)
    out["check (s)"] = time.perf_counter() - started
    out["recompute command agrees"] = agreement.agrees
    out["daily rollups"], out["month rollups"] = Rollup.objects.count(), MonthRollup.objects.count()
    log(f"  analytics_rollup --check: agrees {agreement.agrees} in {out['check (s)']:.1f} s")
    for line in agreement.differences[:3]:
        log(f"    {line}")
    out.update(pages(tomorrow, reps))
    return out


def periods(today: dt.date) -> dict[str, dict[str, str]]:
    """A rolling year, the last calendar quarter and the last calendar month (the page's own choices)."""
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_q_end = quarter_start - dt.timedelta(days=1)
    last_q_start = dt.date(last_q_end.year, 3 * ((last_q_end.month - 1) // 3) + 1, 1)
    last_m_end = today.replace(day=1) - dt.timedelta(days=1)
    return {
        "year": {"start": (today - dt.timedelta(days=365)).isoformat(), "end": today.isoformat()},
        "quarter": {"start": last_q_start.isoformat(), "end": last_q_end.isoformat()},
        "month": {"start": last_m_end.replace(day=1).isoformat(), "end": last_m_end.isoformat()},
    }


def pages(today: dt.date, reps: int) -> dict[str, Any]:
    """p50 / p95 of the statistics page for a city-wide year and one county's year."""
    from django.test import Client

    from bench.measure import summary
    from xinfang.analytics.models import Fact
    from xinfang.org.models import Organ, OrganKind, Role, Staff

    out: dict[str, Any] = {}
    bureaus = Organ.objects.filter(kind=OrganKind.PETITION_BUREAU).order_by("path")
    city_bureau = bureaus.filter(level="city").first()
    county_bureau = bureaus.filter(level="county").first()
    for (scope, bureau), (period, query) in itertools.product(
        (("city-wide", city_bureau), ("one county", county_bureau)), periods(today).items()
    ):
        label = f"{scope} {period}"
        viewer = Staff.objects.filter(organ=bureau).first()
        assert viewer is not None, f"no staff at {bureau}"
        if not viewer.has_role(Role.SUPERVISOR, Role.ANALYST):
            viewer.roles = [*viewer.roles, Role.ANALYST]
            viewer.save(update_fields=["roles"])
        client = Client()
        client.force_login(viewer.user)
        samples = []
        for _ in range(reps):
            started = time.perf_counter()
            response = client.get("/work/statistics/", query, secure=True)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        figures = summary(samples)
        out[f"page p95 (ms) {label}"] = figures["p95"]
        out[f"page p50 (ms) {label}"] = figures["p50"]
        log(f"  statistics page, {label} ({bureau}): p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms")
    out["facts in table"] = Fact.objects.count()
    return out


if __name__ == "__main__":
    main()
