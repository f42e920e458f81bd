#!/usr/bin/env python
"""Lifecycle benchmark: generate N petitions of history, then time registration, transitions, queue reads
and the daily deadline scan. See bench/README.md.

    .venv/bin/python bench/lifecycle.py --db sqlite --n 100000 --n 1000000
    .venv/bin/python bench/lifecycle.py --db postgres --n 100000 --n 1000000

Each size runs in its own process on a fresh database (SQLite: var/bench/xinfang-bench.sqlite3;
PostgreSQL: database xinfang_bench, dropped and created). Results are kept in var/bench/*.json and
printed side by side with PASS/FAIL against the targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SQLITE_FILE = OUT / "xinfang-bench.sqlite3"
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "xinfang_bench"

# Targets at N = 1,000,000 (milliseconds unless noted).
TARGETS: dict[str, tuple[str, float]] = {
    "generation": ("seconds", 900),
    "register_petition": ("p95", 30),
    "perform triage": ("p95", 30),
    "perform accept": ("p95", 30),
    "my queue": ("p95", 50),
    "due within 3 days": ("p95", 50),
    "overdue": ("p95", 50),
    "scan": ("seconds", 60),
}


def log(message: str) -> None:
    print(message, flush=True)


def result_file(db: str, n: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)  # var/bench/ is not in a fresh checkout
    return OUT / f"result-{db}-{n}.json"


# --- one size, in its own process ------------------------------------------------------------------


def fresh_database(db: str, sqlite_file: Path = SQLITE_FILE, pg_database: str = PG_DATABASE) -> str:
    """Drop and create the benchmark database; return its DATABASE_URL."""
    if db == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_file}"
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {pg_database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {pg_database}")
    return f"{PG_SERVER}/{pg_database}"


def bench_today(calendar: Any, real: dt.date) -> dt.date:
    """The latest day, not after the real one, that is a working day after a working day.

    The scan then finds a normal day's work: the clocks whose legal last day was yesterday.
    """
    day = real
    while not (calendar.is_working_day(day) and calendar.is_working_day(day - dt.timedelta(days=1))):
        day -= dt.timedelta(days=1)
    return day


def run_one(args: argparse.Namespace) -> None:
    n = args.size
    url = args.database_url or fresh_database(args.db)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import city, history, measure
    from bench.sink import Sink
    from xinfang.deadlines.selectors import work_calendar

    result: dict[str, Any] = {"db": args.db, "n": n, "url": url, "started": dt.datetime.now().isoformat()}
    log(f"== {args.db}, N = {n:,}: {url}")
    if args.measure_only:
        today = dt.date.fromisoformat(args.today) if args.today else bench_today(work_calendar(), timezone.localdate())
        result["generation"] = json.loads(result_file(args.db, n).read_text())["generation"]
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        log(f"  migrate: {time.perf_counter() - started:.1f} s")
        today = dt.date.fromisoformat(args.today) if args.today else bench_today(work_calendar(), timezone.localdate())
        log(f"  today (benchmark): {today}")
        result["generation"] = generate(n, today, args, city, history, Sink, connection)
        if args.verify:
            from xinfang.audit.verify import first_problem

            started = time.perf_counter()
            problem = first_problem()
            log(f"  audit chain verified in {time.perf_counter() - started:.0f} s: {problem or 'no problem'}")
            if problem:
                raise SystemExit(f"the generated chain is broken: {problem}")
        connection.close()  # measure on a connection set up as the project configures it
    result["size_mb"] = database_size_mb(connection)
    result.update(measure.measure(today, args.reps, log))
    result_file(args.db, n).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    plans = OUT / f"plans-{args.db}-{n}.txt"
    plans.write_text("".join(f"== {key}\n{plan}\n\n" for key, plan in result["plans"].items()))
    log(f"  results: {result_file(args.db, n)}; query plans: {plans}")


def generate(
    n: int, today: dt.date, args: argparse.Namespace, city: Any, history: Any, sink: Any, connection: Any
) -> dict:
    import random

    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style

    from xinfang.audit.models import ChainHead, Event
    from xinfang.intake.models import Matter, Petition, PetitionNumber
    from xinfang.lifecycle.models import Case, Clock, Reminder
    from xinfang.org.models import Organ, Staff
    from xinfang.portal.models import FollowUp, Rating

    started = time.perf_counter()
    rng = random.Random(args.seed)
    tree = city.build(rng)
    city.insert(tree)
    log(f"  organs: {len(tree.organs):,}; generating {n:,} petitions over {history.DAYS} days up to {today}")
    writer = sink()
    writer.defer_indexes()
    out = history.History(tree, n, today, args.seed, writer, args.batch).run(log)
    writer.restore_indexes(log)
    models = [
        Organ, get_user_model(), Staff, Matter, Petition, Case, Clock, Reminder, Event, PetitionNumber, ChainHead,
        Rating, FollowUp,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            log("  VACUUM ANALYZE")
            cursor.execute("VACUUM ANALYZE")
        else:
            log("  ANALYZE; checkpoint")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out["total_seconds"] = time.perf_counter() - started
    log(f"  generated in {out['total_seconds']:.0f} s (rows {out['seconds']:.0f} s, then indexes): {out['rows']}")
    log(f"  case states: {out['states']}")
    return out


def database_size_mb(connection: Any) -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return cursor.fetchone()[0] / 1e6


# --- the report ------------------------------------------------------------------------------------


def figure(result: dict, key: str) -> dict | None:
    if key == "generation":
        return {"seconds": result["generation"]["total_seconds"]}
    return result["timings"].get(key)


def verdict(key: str, value: dict | None) -> str:
    base = key.split(" [")[0]
    if value is None or base not in TARGETS:
        return ""
    stat, limit = TARGETS[base]
    return "PASS" if value[stat] < limit else "FAIL"


def cell(value: dict | None) -> str:
    if value is None:
        return "—"
    if "p95" in value:
        return f"{value['p50']:7.2f} {value['p95']:7.2f} {value['max']:8.2f}"
    return f"{value['seconds']:9.2f} s"


def report(db: str, sizes: list[int]) -> None:
    results = [json.loads(result_file(db, n).read_text()) for n in sizes if result_file(db, n).exists()]
    if not results:
        log(f"no results for {db}")
        return
    keys = ["generation", *results[-1]["timings"].keys()]
    width = 30
    head = f"{'':<44}{'target':>14}"
    sub = f"{'':<58}"
    for r in results:
        head += f"  {'N = ' + format(r['n'], ','):^{width}}"
        sub += f"  {'p50     p95      max (ms)':^{width}}"
    if len(results) > 1:
        head += f"  {'ratio':>7}"
        sub += f"  {'(p95)':>7}"
    log(f"\n== {db}: lifecycle benchmark (targets apply at N = 1,000,000)")
    log(head)
    log(sub)
    for key in keys:
        base = key.split(" [")[0]
        stat, limit = TARGETS.get(base, ("", 0))
        target = f"{stat} < {limit:g}{' s' if stat == 'seconds' else ' ms'}" if stat else ""
        line = f"{key:<44}{target:>14}"
        values = [figure(r, key) for r in results]
        for v in values:
            line += f"  {cell(v):<{width - 5}}{verdict(key, v):>5}"
        if len(values) > 1 and values[0] and values[-1]:
            stat = "p95" if "p95" in values[0] else "seconds"
            ratio = values[-1][stat] / values[0][stat] if values[0][stat] else float("nan")
            line += f"  {ratio:7.2f}"
        log(line)
    for r in results:
        scan = r["timings"].get("scan", {})
        counts = {k: v for k, v in scan.items() if k != "seconds"}
        log(f"N = {r['n']:,}: database {r['size_mb']:,.0f} MB, rows {r['generation']['rows']}; today {r['today']}")
        log(f"    scan counts {counts}; organs {json.dumps(r['organs'], ensure_ascii=False)}")
        queries = {k: v["queries"] for k, v in r["timings"].items() if "queries" in v}
        log(f"    statements per call {queries}")


# --- command line ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--n", type=int, action="append", help="number of petitions (repeatable)")
    parser.add_argument("--reps", type=int, default=200, help="repetitions of each timed operation")
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--batch", type=int, default=20000, help="rows per bulk-write transaction")
    parser.add_argument("--today", help="the benchmark's today (default: latest working day after a working day)")
    parser.add_argument("--verify", action="store_true", help="run the audit chain verification after generating")
    parser.add_argument("--report", action="store_true", help="only print the saved results")
    parser.add_argument("--measure-only", action="store_true", help="re-measure the existing database (no scan work)")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size, in this process
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        run_one(args)
        return
    sizes = sorted(args.n or [100_000])
    if args.measure_only and len(sizes) > 1:
        parser.error("--measure-only times the database as it is: give the one --n it was generated with")
    if not args.report:
        for n in sizes:
            child = [sys.executable, __file__, "--db", args.db, "--size", str(n), "--reps", str(args.reps)]
            child += ["--seed", str(args.seed), "--batch", str(args.batch)]
            child += ["--today", args.today] if args.today else []
            child += ["--verify"] if args.verify else []
            child += ["--measure-only"] if args.measure_only else []
            if args.measure_only and args.db == "sqlite":
                child += ["--database-url", f"sqlite:///{SQLITE_FILE}"]
            elif args.measure_only:
                child += ["--database-url", f"{PG_SERVER}/{PG_DATABASE}"]
            subprocess.run(child, check=True)
    report(args.db, sizes)


if __name__ == "__main__":
    main()
