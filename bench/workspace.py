#!/usr/bin/env python
"""Workspace pages benchmark: the home page (queue, due soon, overdue, recent), the case page and a
full-text search, rendered through Django's whole stack (middleware, selectors, templates).

    .venv/bin/python bench/workspace.py --db sqlite             # demo size and N = 100,000
    .venv/bin/python bench/workspace.py --db postgres --n 100000

Sizes: "demo" is the `seed_demo` city (about 200 petitions); a number uses bench/lifecycle.py's generator.
Each size runs in its own process on its own database (SQLite var/bench/pages-bench.sqlite3; PostgreSQL
xinfang_bench_pages), so it never touches the lifecycle benchmark's database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SQLITE_FILE = OUT / "pages-bench.sqlite3"
PG_DATABASE = "xinfang_bench_pages"


def timed(fn: Any, reps: int) -> dict[str, float]:
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, round(len(samples) * 0.95) - 1)],
        "max": samples[-1],
    }


def run_one(db: str, size: str, reps: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bench.lifecycle import fresh_database

    url = fresh_database(db, SQLITE_FILE, PG_DATABASE)
    os.environ.update({"DATABASE_URL": url, "XINFANG_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "xinfang.settings"})
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    from xinfang.lifecycle.models import Case
    from xinfang.lifecycle.selectors import visible_cases
    from xinfang.lifecycle.states import NON_TERMINAL
    from xinfang.org.models import Role, Staff

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if size == "demo":
        call_command("seed_demo", verbosity=0)
    else:
        from django.db import connection

        from bench import city, history
        from bench import lifecycle as generator
        from bench.sink import Sink
        from xinfang.deadlines.selectors import work_calendar

        today = generator.bench_today(work_calendar(), timezone.localdate())
        args = argparse.Namespace(seed=20261120, batch=20000)
        generator.generate(int(size), today, args, city, history, Sink, connection)
    setup_seconds = time.perf_counter() - started

    # The busiest desk: a handler (or any staff) at the organ with the longest open queue.
    busiest = (
        Case.objects.filter(state__in=NON_TERMINAL)
        .values("acting_organ")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    people = list(Staff.objects.filter(organ_id=busiest["acting_organ"]).select_related("user", "organ"))
    if not people:
        raise SystemExit("no staff at the busiest organ")
    staff = next((p for p in people if p.has_role(Role.HANDLER)), people[0])
    client = Client()
    client.force_login(staff.user)
    case_ids = list(visible_cases(staff).filter(state__in=NON_TERMINAL).values_list("pk", flat=True)[:500])
    rng = random.Random(7)
    sample_text = (
        Case.objects.filter(pk__in=case_ids[:1]).values_list("petition__request", flat=True).first() or "补偿款"
    )
    phrase = sample_text.strip()[2:6]

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    figures = {
        "home page": timed(lambda: get("/work/"), reps),
        "case page": timed(lambda: get(f"/work/cases/{rng.choice(case_ids)}/"), reps),
        "search (4 characters)": timed(lambda: get(f"/work/cases/?q={phrase}"), reps),
    }
    return {
        "db": db,
        "size": size,
        "setup_seconds": setup_seconds,
        "cases": Case.objects.count(),
        "organ": staff.organ.name,
        "open_cases_at_organ": busiest["n"],
        "phrase": phrase,
        "figures": figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--n", action="append", help='"demo" or a number of petitions (repeatable)')
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = run_one(args.db, args.one, args.reps)
        (OUT / f"pages-{args.db}-{args.one}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
        return
    sizes = args.n or ["demo", "100000"]
    results = []
    for size in sizes:
        print(f"== {args.db}, size {size}", flush=True)
        subprocess.run([sys.executable, __file__, "--db", args.db, "--one", size, "--reps", str(args.reps)], check=True)
        results.append(json.loads((OUT / f"pages-{args.db}-{size}.json").read_text()))
    print(f"\n== workspace pages on {args.db} (ms; the whole request, rendered)")
    header = "".join(f"{r['size'] + ' (' + str(r['cases']) + ' cases)':>34}" for r in results)
    print(f"{'':24}{header}")
    for key in results[0]["figures"]:
        row = "".join("   p50 {p50:7.1f}  p95 {p95:7.1f}  max {max:6.1f}".format(**r["figures"][key]) for r in results)
        ratio = (
            f"   ratio p95 {results[-1]['figures'][key]['p95'] / results[0]['figures'][key]['p95']:.2f}"
            if len(results) > 1
            else ""
        )
        print(f"{key:24}{row}{ratio}")
    for r in results:
        print(
            f"{r['size']}: organ {r['organ']} with {r['open_cases_at_organ']} open cases; search phrase {r['phrase']!r}"
        )


if __name__ == "__main__":
    main()
