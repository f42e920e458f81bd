#!/usr/bin/env python
"""Search benchmark: the case list's search, through Django's whole stack, at N petitions (default 100,000).

    .venv/bin/python bench/search.py --db sqlite   --n 100000
    .venv/bin/python bench/search.py --db postgres --n 100000
    .venv/bin/python bench/search.py --db postgres --n 100000 --report     # print saved results again

Each size runs in its own process on its own database (SQLite var/bench/search-bench.sqlite3; PostgreSQL
BENCH_SEARCH_DATABASE, default xinfang_bench_search). The organs are bench/city.py's city (1,676 organs); the
petitions (one case each, no events: search reads none) are written through the ORM by `generate` below, so that
ID numbers, phones and addresses are SM4 ciphertext with their blind indexes, as the product stores them.

Measured as the city 信访局's triage officer (who may read the most cases), each query is a GET of
`/work/cases/?q=...` (count, first page of 30, highlighting) and, separately, the selector alone
(`search_cases(...).count()`): one word, two words (both must match), a quoted phrase, a word that matches
nothing, a petition number, a petitioner's name, an ID number and a phone number (the last two through the
blind indexes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SQLITE_FILE = OUT / "search-bench.sqlite3"
PG_DATABASE = os.environ.get("BENCH_SEARCH_DATABASE", "xinfang_bench_search")


def _result_path(db: str, size: str) -> Path:
    return OUT / f"search-{db}-{size}.json"


def generate(n: int, rng: random.Random, now: Any, batch: int = 2000) -> None:
    """N petitions with one case each, written through the ORM (so SM4 ciphertext, blind indexes, search text).

    Received over two years at the bureaus and departments (not villages), 14% accusations (confidential), the
    request texts of bench/history.py, names, ID numbers and phones as the lifecycle generator makes them, one
    case each in a state spread over the table's states. No events: search does not read them.
    """
    import datetime as dt

    from bench.history import GIVEN, STORIES, SURNAMES, _resident_id
    from xinfang.intake.models import Category, Channel, Matter, Petition
    from xinfang.lifecycle.models import Case
    from xinfang.lifecycle.states import State
    from xinfang.org.models import Level, Organ

    organs = list(Organ.objects.exclude(level=Level.VILLAGE).exclude(kind="other").order_by("pk"))
    categories = list(STORIES)
    states = [State.REGISTERED, State.TRIAGED, State.ACCEPTED, State.INVESTIGATING, State.OPINION_DELIVERED]
    for first in range(0, n, batch):
        matters, petitions, cases = [], [], []
        for i in range(first, min(n, first + batch)):
            organ = rng.choice(organs)
            received = now - dt.timedelta(days=rng.randrange(730), minutes=rng.randrange(600))
            category = rng.choices(categories, weights=(0.72, 0.14, 0.14))[0]
            request, facts, reasons = rng.choice(STORIES[category])
            accusation = category == Category.ACCUSATION
            anonymous = rng.random() < 0.05
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 65))
            matters.append(
                Matter(id=i + 1, summary=request, category=category, region_code=organ.region_code, created_at=received)
            )
            petition = Petition(
                id=i + 1,
                number=f"XF{received.year}{i + 1:07d}",
                channel=rng.choice(Channel.values),
                received_at=received,
                receiving_organ=organ,
                registered_at=received,
                matter_id=i + 1,
                name="" if anonymous else rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                id_number="" if anonymous else _resident_id(rng, organ.region_code, birth),
                address="" if anonymous else f"{organ.name[:3]}幸福路{rng.randrange(1, 300)}号",
                contact="" if anonymous else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                request=request,
                facts=facts,
                reasons=reasons,
                anonymous=anonymous,
                region_code=organ.region_code,
                accusation=accusation,
            )
            petition.search_text = petition.build_search_text()
            petitions.append(petition)
            cases.append(Case(
                id=i + 1, petition_id=i + 1, matter_id=i + 1, organ=organ, acting_organ=organ,
                state=rng.choice(states), category=category, received_at=received, updated_at=received,
                confidential_accusation=accusation, version=1,
            ))  # fmt: skip
        Matter.objects.bulk_create(matters)
        Petition.objects.bulk_create(petitions)
        Case.objects.bulk_create(cases)


def run_one(db: str, size: int, reps: int, measure_only: bool = False) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bench.lifecycle import PG_SERVER, fresh_database
    from bench.workspace import timed

    if measure_only:  # time again on the database the last run left
        url = f"sqlite:///{SQLITE_FILE}" if db == "sqlite" else f"{PG_SERVER}/{PG_DATABASE}"
    else:
        url = fresh_database(db, SQLITE_FILE, PG_DATABASE)
    os.environ.update({"DATABASE_URL": url, "XINFANG_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "xinfang.settings"})
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("XINFANG_FIELD_KEY", "00112233445566778899aabbccddeeff")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench import city
    from xinfang.intake.models import Petition
    from xinfang.lifecycle.visibility import readable_cases
    from xinfang.org.models import Organ, Role, Staff
    from xinfang.workspace.selectors import search_cases

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    started = time.perf_counter()
    if not measure_only:
        call_command("migrate", verbosity=0)
        city.insert(city.build(random.Random(20261120)))
        for organ in Organ.objects.order_by("path"):  # system, system superior and system path, as Organ.save sets
            organ.save()
        generate(size, random.Random(20261202), timezone.now())
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    bureau = Organ.objects.filter(kind="petition_bureau", level="city").order_by("pk").first()
    staff = Staff.objects.filter(organ=bureau).select_related("user", "organ")
    person = next(s for s in staff if s.has_role(Role.TRIAGE_OFFICER))
    client = Client()
    client.force_login(person.user)
    readable = readable_cases(person)
    rng = random.Random(11)
    sample_ids = list(readable.values_list("petition_id", flat=True)[:2000])
    picked = Petition.objects.filter(pk__in=rng.sample(sample_ids, min(50, len(sample_ids))))
    named = next(p for p in picked if p.name and p.id_number and p.contact)
    words = named.request.replace("，", " ").replace("。", " ").split()
    text = named.request
    queries = {
        "one word (3 characters)": text[2:5],
        "two words": f"{text[0:3]} {text[6:9]}",
        "quoted phrase": f'"{text[1:7]}"',
        "no match": "火星移民补贴",
        "petition number": named.number,
        "petitioner name": named.name,
        "ID number": named.id_number,
        "phone": named.contact,
    }

    def page(q: str) -> None:
        response = client.get("/work/cases/", {"q": q})
        assert response.status_code == 200, (q, response.status_code)

    figures: dict[str, Any] = {}
    for label, q in queries.items():
        found = search_cases(person, q).count()
        figures[label] = {
            "query": q,
            "found": found,
            "page": timed(lambda q=q: page(q), reps),
            "selector": timed(lambda q=q: search_cases(person, q).count(), reps),
        }
    return {
        "db": db,
        "size": size,
        "petitions": Petition.objects.count(),
        "readable_cases": readable.count(),
        "generate_seconds": round(generated, 1),
        "staff": f"{person.organ.name} 甄别分办员",
        "words_sample": words[:3],
        "figures": figures,
    }


def report(db: str, sizes: list[str]) -> None:
    for size in sizes:
        r = json.loads(_result_path(db, size).read_text())
        print(f"\n== search on {db}, {r['petitions']:,} petitions; {r['staff']} reads {r['readable_cases']:,} cases")
        print(f"   generated (through the ORM: encrypted and indexed) in {r['generate_seconds']} s")
        print(f"{'query':26}{'found':>8}   {'page p50':>9} {'p95':>8}   {'selector p50':>12} {'p95':>8}  (ms)")
        for label, f in r["figures"].items():
            print(
                f"{label:26}{f['found']:>8}   {f['page']['p50']:9.1f} {f['page']['p95']:8.1f}"
                f"   {f['selector']['p50']:12.1f} {f['selector']['p95']:8.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--n", action="append", help="a number of petitions (repeatable; default 100000)")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--report", action="store_true", help="print saved results again")
    parser.add_argument("--measure-only", action="store_true", help="time again on the last run's database")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = run_one(args.db, int(args.one), args.reps, args.measure_only)
        if args.measure_only and _result_path(args.db, args.one).exists():  # keep how long the data took to make
            result["generate_seconds"] = json.loads(_result_path(args.db, args.one).read_text())["generate_seconds"]
        _result_path(args.db, args.one).write_text(json.dumps(result, ensure_ascii=False, indent=1))
        return
    sizes = args.n or ["100000"]
    if not args.report:
        for size in sizes:
            print(f"== {args.db}, {size} petitions", flush=True)
            cmd = [sys.executable, __file__, "--db", args.db, "--one", size, "--reps", str(args.reps)]
            cmd += ["--measure-only"] if args.measure_only else []
            subprocess.run(cmd, check=True)
    report(args.db, sizes)


if __name__ == "__main__":
    main()
