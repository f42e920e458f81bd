"""The shared repeat index (issue 13): repeat search through the database's repeat keys at 100k and 1M petitions.

    OMP_NUM_THREADS=1 .venv/bin/python bench/repeat_keys.py [--db postgres|sqlite] [--sizes 100000 1000000]
    OMP_NUM_THREADS=1 .venv/bin/python bench/repeat_keys.py --sizes 1000000 --reuse    # measure the last table again

The product keeps each petition's 28 LSH band keys in one table (`intake.RepeatKey`, primary key (key, petition))
and asks it with `triage.selectors.shared_keys_sql`: per key its newest PER_KEY holders, then petitions by the
number of keys shared. Here the same SQL runs against a table of the same shape filled with the synthetic texts
of `bench/triage_scale.py` (none of the shared data; seed 20200101), so that recall can be counted: 150 perturbed
copies of indexed texts (truncated, punctuation removed, sentences reordered, 5 % typos) must come back in the
top 5 after the product's re-scoring (`textmining.repeats.rank` over the RERANK best, texts from memory here, from
the database in the product), and 150 fresh texts should find nothing. Times: the keys of the query, the SQL,
the re-scoring, and the three together (the "repeat search" a suggestion makes, without the readability filter,
which `bench/lifecycle.py`'s city measures through `suggest` itself).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.triage_scale import SEED, lexicon, message, percentile, perturb

TABLE = "bench_repeat_key"


def connect(db: str, fresh: bool) -> None:
    if db == "postgres":
        from bench.lifecycle import PG_SERVER, fresh_database

        name = "xinfang_repeat_bench"
        os.environ["DATABASE_URL"] = (
            fresh_database("postgres", Path("/nonexistent"), name) if fresh else f"{PG_SERVER}/{name}"
        )
    else:
        path = Path(__file__).resolve().parents[1] / "var" / "bench" / "repeat-keys.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("XINFANG_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("XINFANG_FIELD_KEY", "00112233445566778899aabbccddeeff")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    import django

    django.setup()


def texts_only(size: int, leaves: list[tuple[str, str, str]]) -> list[str]:
    """The same texts as `load` writes (same seed), for measuring again on the table left by an earlier run."""
    words = lexicon(leaves)
    rng = random.Random(SEED + size)
    return [message(rng, leaves, words)[0].text for _ in range(size)]


def load(size: int, leaves: list[tuple[str, str, str]]) -> tuple[list[str], float]:
    """Generate `size` texts, write their keys (a fresh table, then its primary key, as a restore does)."""
    from django.db import connection

    from xinfang.textmining.repeats import repeat_keys

    words = lexicon(leaves)
    rng = random.Random(SEED + size)
    texts: list[str] = []
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f'CREATE TABLE {TABLE} ("key" bigint NOT NULL, petition_id integer NOT NULL)')
        rows: list[tuple[int, int]] = []

        def flush() -> None:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY {TABLE} ("key", petition_id) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f'INSERT INTO {TABLE} ("key", petition_id) VALUES (%s, %s)', rows)
            rows.clear()

        for i in range(size):
            text = message(rng, leaves, words)[0].text
            texts.append(text)
            rows.extend((key, i + 1) for key, _ in repeat_keys(text))
            if len(rows) >= 280_000:
                flush()
            if (i + 1) % 100_000 == 0:
                print(f"  {i + 1} texts keyed in {time.perf_counter() - started:.0f} s", flush=True)
        flush()
        cursor.execute(
            f'ALTER TABLE {TABLE} ADD PRIMARY KEY ("key", petition_id)'
            if connection.vendor == "postgresql"
            else f'CREATE UNIQUE INDEX {TABLE}_pk ON {TABLE} ("key", petition_id)'
        )
        # As autovacuum leaves a table after inserts (PostgreSQL ≥ 13): with no visibility map the planner reads
        # every holder of a crowded key through the heap (p95 71 ms at 1M here) instead of the newest 200 from the
        # index alone (7 ms).
        cursor.execute(f"VACUUM ANALYZE {TABLE}" if connection.vendor == "postgresql" else f"ANALYZE {TABLE}")
    return texts, time.perf_counter() - started


def run(size: int, leaves: list[tuple[str, str, str]], reuse: bool = False) -> None:
    from django.db import connection

    from xinfang.textmining.repeats import Record, rank, repeat_keys
    from xinfang.triage.selectors import PROPOSED, RERANK, shared_keys_sql

    texts, build = (texts_only(size, leaves), 0.0) if reuse else load(size, leaves)
    rng = random.Random(SEED + size + 1)
    words = lexicon(leaves)
    queries: list[tuple[str, int | None]] = []
    for j in range(150):
        picked = rng.randrange(size)
        queries.append((perturb(rng, texts[picked], j % 4), picked + 1))
    for _ in range(150):
        queries.append((message(rng, leaves, words)[0].text, None))
    table = connection.ops.quote_name(TABLE)

    def search(cursor: object, text: str) -> tuple[set[int], int, list[float]]:
        t0 = time.perf_counter()
        keys = repeat_keys(text)
        t1 = time.perf_counter()
        params: list[int] = []
        for key, _ in keys:
            params += [key, 0]  # no petition to leave out
        sql = shared_keys_sql(table, [weight for _, weight in keys])
        cursor.execute(sql, [*params, PROPOSED])  # type: ignore[attr-defined]
        proposed = [int(p) for p, _ in cursor.fetchall()]  # type: ignore[attr-defined]
        t2 = time.perf_counter()
        hits = rank(text, [Record(str(p), texts[p - 1]) for p in proposed[:RERANK]], k=5)
        t3 = time.perf_counter()
        return (
            {int(h.id) for h in hits},
            len(proposed),
            [(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t3 - t0) * 1000],
        )

    times: dict[str, list[float]] = {"keys": [], "sql": [], "rescore": [], "search": []}
    found = fresh_hits = 0
    proposed_counts = []
    with connection.cursor() as cursor:
        for _ in range(20):  # warm the cache; not counted
            search(cursor, message(rng, leaves, words)[0].text)
        for text, target in queries:
            ids, proposed, parts = search(cursor, text)
            for name, value in zip(times, parts, strict=True):
                times[name].append(value)
            proposed_counts.append(proposed)
            if target is None:
                fresh_hits += bool(ids)
            else:
                found += target in ids
        size_mb = 0.0
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
            size_mb = cursor.fetchone()[0] / 2**20
    line = ", ".join(
        f"{name} p50 {statistics.median(v):.1f} / p95 {percentile(v, 0.95):.1f} ms" for name, v in times.items()
    )
    print(
        f"{connection.vendor} {size:,}: "
        + ("table reused" if reuse else f"keyed and loaded in {build:.0f} s")
        + (f", table with its primary key {size_mb:,.0f} MB" if size_mb else "")
        + f"; {line}; recall@5 of perturbed copies {found}/150; fresh texts with a hit {fresh_hits}/150; "
        f"petitions proposed per query mean {statistics.mean(proposed_counts):.0f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--reuse", action="store_true", help="measure again on the table of the last run (one size)")
    args = parser.parse_args()
    if args.reuse and len(args.sizes) != 1:
        parser.error("--reuse measures the table as it is: give the one size it was loaded with")
    connect(args.db, fresh=not args.reuse)
    from xinfang.rules.taxonomy import default_taxonomy

    leaves = [(c.level1, c.level2, c.level3) for c in default_taxonomy().leaves()]
    for size in args.sizes:
        run(size, leaves, reuse=args.reuse)


if __name__ == "__main__":
    main()
