"""Registration with suggestions on the lifecycle benchmark's city (issue 13): `register_petition`, then
`triage.services.suggest` for the new case (category, organ, possible repeats through the shared repeat keys,
the readable filter, one row and one event), timed through the real services on PostgreSQL.

    .venv/bin/python bench/lifecycle.py --db postgres --n 1000000        # the city: database xinfang_bench
    OMP_NUM_THREADS=1 .venv/bin/python bench/suggest_city.py [--database xinfang_bench] [--reps 100]

XINFANG_FIELD_KEY must be the key the city was generated with. A classifier is trained first on 3,000 synthetic
texts (`bench/triage_scale.py`'s generator; none of the shared data) and made active. Two kinds of text are
registered in turn: one of the city's own 14 stories (each is shared word for word by tens of thousands of the
city's petitions: the worst case for the repeat keys, every key held by a crowd) and a fresh synthetic text.
Staff: the registrar and triage officer of the city bureau (the organ with most cases) and of the county
department the lifecycle benchmark registers at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="xinfang_bench")
    parser.add_argument("--reps", type=int, default=100, help="registrations per organ (half of each kind of text)")
    args = parser.parse_args()
    from bench.lifecycle import PG_SERVER

    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{args.database}"
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ["XINFANG_VAR_DIR"] = tempfile.mkdtemp(prefix="xinfang-suggest-bench-")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.history import STORIES
    from bench.measure import pick_organs
    from bench.triage_scale import SEED, lexicon, message
    from xinfang.intake.models import RepeatKey
    from xinfang.intake.services import PetitionInput, register_petition
    from xinfang.org.models import Role, Staff
    from xinfang.rules.taxonomy import default_taxonomy
    from xinfang.triage.services import suggest, train_model

    leaves = [(c.level1, c.level2, c.level3) for c in default_taxonomy().leaves()]
    rng = random.Random(SEED)
    words = lexicon(leaves)
    train = [message(rng, leaves, words) for _ in range(3000)]
    started = time.perf_counter()
    train_model([m for m, _ in train], [label for _, label in train], source="基准测试（合成文本）", evaluate=False)
    print(f"classifier trained on 3,000 synthetic texts in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM intake_petition")
        petitions = cursor.fetchone()[0]
    print(f"{petitions:,} petitions, {RepeatKey.objects.count():,} repeat keys", flush=True)
    organs = pick_organs()
    stories = [story for group in STORIES.values() for story in group]
    now = timezone.now()
    for role in ("most cases", "registration"):
        organ = organs[role]
        staff = list(Staff.objects.select_related("organ", "user").filter(organ=organ))
        registrar = next(s for s in staff if s.has_role(Role.REGISTRAR))
        officer = next(s for s in staff if s.has_role(Role.TRIAGE_OFFICER))
        times: dict[str, dict[str, list[float]]] = {
            kind: {"register": [], "suggest": []} for kind in ("story", "fresh")
        }
        hits: dict[str, list[int]] = {"story": [], "fresh": []}
        for i in range(args.reps + 4):  # the first 4 warm the caches and are not counted
            kind = "story" if i % 2 == 0 else "fresh"
            if kind == "story":
                request, facts, reasons = stories[i % len(stories)]
            else:
                item = message(rng, leaves, words)[0]
                request, facts, reasons = item.title, item.body, ""
            data = PetitionInput(
                channel="visit", request=request, facts=facts, reasons=reasons, region_code=organ.region_code,
                received_at=now, name=f"基准{i}", id_number="", address="城关镇幸福路1号", contact="13800000000",
            )  # fmt: skip
            t0 = time.perf_counter()
            case = register_petition(data, organ=organ, actor=registrar, now=now)
            t1 = time.perf_counter()
            found = suggest(case, officer, now=now)
            t2 = time.perf_counter()
            if i >= 4:
                times[kind]["register"].append((t1 - t0) * 1000)
                times[kind]["suggest"].append((t2 - t1) * 1000)
                hits[kind].append(len(found.repeats))
        for kind, parts in times.items():
            both = [a + b for a, b in zip(parts["register"], parts["suggest"], strict=True)]
            line = ", ".join(
                f"{name} p50 {statistics.median(v):.1f} / p95 {percentile(v, 0.95):.1f} ms"
                for name, v in (*parts.items(), ("register + suggest", both))
            )
            print(
                f"{organ.name} ({role}), {kind} texts × {len(both)}: {line}; repeats shown mean "
                f"{statistics.mean(hits[kind]):.1f}",
                flush=True,
            )
    print(f"done at {dt.datetime.now():%H:%M}", flush=True)


if __name__ == "__main__":
    main()
