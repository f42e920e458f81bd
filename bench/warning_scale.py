#!/usr/bin/env python
"""Early-warning benchmark at scale: the nightly detection (`warning.services.detect_all`) over N petitions of
two years on PostgreSQL, and the risk board's first page.

    .venv/bin/python bench/warning_scale.py --n 100000
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/warning_scale.py --n 300000

Its own database `xinfang_h14` (dropped and created). The world: 13 governments (a city and 12 counties), each
with a petition bureau and 10 departments; petitions over the 730 days before today, received by a random
department, each naming one of 3,000 invented estates (Zipf-like weights) and one of 12 problems, from a pool of
N/3 petitioners (blind-indexed phones); 5% collective visits, 8% repeats, 3% overdue. Planted: 20 estates with
10 petitions each from 10 people in the last 7 days. Bulk-written (no event chain). Figures go to stdout and to
var/bench/warning-postgres-<n>.json.

What is timed: a one-off backfill of the daily counts behind the board's calendar (182 days, every bureau),
`detect_all(today)` (every bureau: the readable cases of the 35-day window, entity extraction, candidates,
factors, alerts stored, the window's daily counts rewritten), the same run again (alerts updated), and
GET /work/warning/ as the city bureau's analyst (p50/p95 over --reps requests after one warm-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lifecycle import OUT, fresh_database, log  # noqa: E402

PG_DATABASE = "xinfang_h14"
PREFIX = "锦绣翠湖阳光金色幸福和平东方滨江碧水绿洲紫荆丽景华府书香银杏枫林春晓明珠海棠鹿鸣云山星河"
SUFFIX = ("家园", "花园", "小区", "公寓", "新村", "佳苑")
PROBLEMS = (
    "电梯经常停运，物业不作为",
    "地下车库渗水，多次反映无人处理",
    "开发商延期交房，要求赔偿",
    "小区周边施工噪音扰民",
    "物业费上涨不公示",
    "拖欠农民工工资",
    "学位不足，孩子入学困难",
    "燃气管道老化存在隐患",
    "违章搭建占用消防通道",
    "房产证迟迟办不下来",
    "垃圾清运不及时，臭味严重",
    "停车位只售不租",
)


def places(rng: random.Random, k: int) -> list[str]:
    pairs = [PREFIX[i : i + 2] for i in range(0, len(PREFIX) - 1)]
    names: set[str] = set()
    while len(names) < k:
        names.add(rng.choice(pairs) + rng.choice(pairs) + rng.choice(SUFFIX))
    return sorted(names)


def generate(n: int, today: dt.date, seed: int) -> Any:
    from django.contrib.auth import get_user_model

    from xinfang.intake.models import Matter, Petition
    from xinfang.lifecycle.models import Case
    from xinfang.org.models import Organ, Staff

    rng = random.Random(seed)
    tz = dt.timezone(dt.timedelta(hours=8))
    city = Organ.objects.create(name="基准市人民政府", level="city", kind="other", region_code="980100")
    depts: list[Organ] = []
    analyst = None
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
        staff = Staff.objects.create(user=user, organ=bureau, roles=["analyst"], display_name=f"分析员{i}")
        analyst = analyst or staff
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
    estates = places(rng, 3000)
    weights = [1 / (r + 1) for r in range(len(estates))]
    persons = max(n // 3, 1)
    first = today - dt.timedelta(days=729)
    planted = estates[-20:]  # rare names, so that the burst stands out
    rows: list[tuple[dt.datetime, str, int]] = [
        (
            dt.datetime.combine(first + dt.timedelta(days=rng.randrange(730)), dt.time(10), tzinfo=tz),
            f"{rng.choices(estates, weights)[0]}{rng.choice(PROBLEMS)}",
            rng.randrange(persons),
        )
        for _ in range(n - 200)
    ]
    for t, place in enumerate(planted):
        for k in range(10):
            when = dt.datetime.combine(today - dt.timedelta(days=k % 7), dt.time(9), tzinfo=tz)
            rows.append((when, f"{place}{PROBLEMS[t % len(PROBLEMS)]}", persons + t * 10 + k))
    batch = 5000
    for base in range(0, len(rows), batch):
        matters, petitions, cases = [], [], []
        for i, (at, text, person) in enumerate(rows[base : base + batch], start=base):
            organ = depts[person % len(depts)] if person >= persons else rng.choice(depts)
            matters.append(Matter(summary="基准事项", region_code=organ.region_code, created_at=at))
            petitions.append(
                Petition(
                    number=f"BW{i:010d}",
                    channel="visit",
                    received_at=at,
                    receiving_organ=organ,
                    registered_at=at,
                    request=text,
                    region_code=organ.region_code,
                    contact=f"139{person:08d}",
                    is_repeat=rng.random() < 0.08,
                    collective=rng.random() < 0.05,
                )
            )
        Matter.objects.bulk_create(matters)
        for m, p in zip(matters, petitions, strict=True):
            p.matter = m
        Petition.objects.bulk_create(petitions)
        for p in petitions:
            cases.append(
                Case(
                    petition=p,
                    matter=p.matter,
                    organ=p.receiving_organ,
                    acting_organ=p.receiving_organ,
                    state="investigating",
                    category=rng.choice(["grievance", "grievance", "suggestion"]),
                    received_at=p.received_at,
                    updated_at=p.received_at,
                    overdue=rng.random() < 0.03,
                )
            )
        Case.objects.bulk_create(cases)
        if (base // batch) % 20 == 0:
            log(f"  generated {min(len(rows), base + batch):,} of {len(rows):,} petitions")
    return analyst


def reuse_analyst() -> Any:
    from xinfang.org.models import Organ, Role, Staff

    bureau = Organ.objects.filter(kind="petition_bureau", level="city").order_by("path").first()
    viewer = Staff.objects.filter(organ=bureau).order_by("pk").first()
    assert viewer is not None, "no staff at the city bureau: not a benchmark city"
    if Role.ANALYST not in viewer.roles:
        viewer.roles = [*viewer.roles, Role.ANALYST]
        viewer.save(update_fields=["roles"])
    return viewer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument(
        "--reuse",
        metavar="DATABASE",
        help="measure on this existing PostgreSQL database as it is (e.g. the lifecycle benchmark's 1M city, "
        "renamed): nothing generated or dropped; the city bureau's first staff member is given the analyst role",
    )
    parser.add_argument("--today", help="the day the nightly task runs for (default: today)")
    args = parser.parse_args()
    if args.reuse:
        from bench.lifecycle import PG_SERVER

        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{args.reuse}"
    else:
        os.environ["DATABASE_URL"] = fresh_database("postgres", Path("/nonexistent"), PG_DATABASE)
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("XINFANG_FIELD_KEY", secrets.token_hex(16))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ.setdefault("XINFANG_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from xinfang.intake.models import Petition
    from xinfang.org.models import Organ
    from xinfang.warning.models import Alert
    from xinfang.warning.selectors import calendar_days
    from xinfang.warning.services import count_days, detect_all

    call_command("migrate", verbosity=0)
    today = dt.date.fromisoformat(args.today) if args.today else timezone.localdate()
    result: dict[str, Any] = {"db": "postgres", "n": args.n, "today": today.isoformat(), "reuse": args.reuse}
    if args.reuse:
        analyst = reuse_analyst()
        result["petitions"] = Petition.objects.count()
    else:
        started = time.perf_counter()
        analyst = generate(args.n, today, args.seed)
        result["generation (s)"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    window = today - dt.timedelta(days=34)
    from xinfang.lifecycle.models import Case

    result["cases in the 35-day window"] = Case.objects.filter(received_at__date__gte=window).count()
    started = time.perf_counter()
    since = today - dt.timedelta(days=calendar_days() - 1)
    for bureau in Organ.objects.filter(kind="petition_bureau"):  # once, as earlier nights would have written them
        count_days(bureau, since, today)
    result["backfill of the calendar's daily counts, every bureau (s)"] = round(time.perf_counter() - started, 2)
    for label in ("detect_all (s)", "detect_all again (s)"):
        started = time.perf_counter()
        raised = detect_all(today)
        result[label] = round(time.perf_counter() - started, 2)
        log(f"  {label}: {result[label]} ({raised} alerts)")
    result["alerts"] = Alert.objects.filter(day=today).count()
    result["planted topics raised at the city bureau"] = (
        None
        if args.reuse
        else Alert.objects.filter(day=today, organ__name="基准市人民政府信访局", kind="hotspot", count__gte=10).count()
    )
    client = Client()
    client.force_login(analyst.user)
    assert client.get("/work/warning/", secure=True).status_code == 200  # warm-up
    times = []
    for _ in range(args.reps):
        started = time.perf_counter()
        response = client.get("/work/warning/", secure=True)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    result["board p50 (ms)"] = round(statistics.median(times), 1)
    result["board p95 (ms)"] = round(times[max(0, int(len(times) * 0.95) - 1)], 1)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"warning-postgres-{args.n}{'-reuse' if args.reuse else ''}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1)
    )
    log(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
