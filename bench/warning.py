"""Early-warning benchmark: replay the shared votes file day by day through the topic detector.

    .venv/bin/python bench/warning.py [--ratio 3] [--min-count 3] [--min-persons 2]

Reads ``../shared/data/teddy2020c/messages_with_votes.csv`` at run time (never copied). Each day sees only
the messages dated up to that day (the index is filled in date order). Prints, for each known topic, its peak
week (the ISO week with most messages naming it), the first day it was flagged and how many weeks before the
peak week that was; then the alert load: distinct topics flagged per week over the replay. Deterministic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinfang.textmining.data import rows
from xinfang.textmining.topics import Item, Params, TopicIndex

KNOWN = {
    "伊景园/滨河苑": ("伊景园", "滨河苑"),
    "魅力之城": ("魅力之城",),
    "58车贷": ("58车贷",),
    "A市经济学院": ("经济学院",),
}
REPLAY_FROM = dt.date(2019, 1, 1)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=int, default=7)
    parser.add_argument("--baseline", type=int, default=28)
    parser.add_argument("--min-persons", type=int, default=2)
    parser.add_argument("--min-count", type=int, default=4)
    parser.add_argument("--ratio", type=float, default=3.0)
    parser.add_argument("--cluster", type=float, default=None, help="MinHash similarity for text clusters")
    args = parser.parse_args()
    params = Params(args.window, args.baseline, args.min_persons, args.min_count, args.ratio, args.cluster)
    items = sorted(
        (
            Item(r["id"], r["user"], dt.date.fromisoformat(r["time"][:10]), r["title"] + "。" + r["body"])
            for r in rows("messages_with_votes.csv")
        ),
        key=lambda i: (i.day, i.id),
    )
    last = items[-1].day
    index, position = TopicIndex(), 0
    flagged: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    per_week: dict[dt.date, set[str]] = defaultdict(set)
    started = time.perf_counter()
    day = REPLAY_FROM
    while day <= last:
        while position < len(items) and items[position].day <= day:
            index.add(items[position])
            position += 1
        for alert in index.detect(day, params):
            per_week[monday(day)].add(alert.topic)
            for label, keys in KNOWN.items():
                if any(k in v for k in keys for v in alert.variants):
                    flagged[label].append((day, alert.topic))
        day += dt.timedelta(days=1)
    elapsed = time.perf_counter() - started
    print(f"params: {params}; replay {REPLAY_FROM} .. {last}; {len(items)} messages; {elapsed:.1f} s")
    print("| topic | messages | peak week (Mon) | first flag | topic name | weeks before peak |")
    print("|---|---|---|---|---|---|")
    for label, keys in KNOWN.items():
        weeks = Counter(monday(i.day) for i in items if any(k in i.text for k in keys) and i.day >= REPLAY_FROM)
        total = sum(weeks.values())
        peak = min(weeks, key=lambda w: (-weeks[w], w)) if weeks else None
        if flagged[label] and peak is not None:
            first, name = flagged[label][0]
            ahead = (peak - monday(first)).days // 7
            print(f"| {label} | {total} | {peak} ({weeks[peak]}) | {first} | {name} | {ahead} |")
        else:
            print(f"| {label} | {total} | {peak} | never | | |")
    weeks_total = (monday(last) - monday(REPLAY_FROM)).days // 7 + 1
    load = sum(len(t) for t in per_week.values())
    print(f"alert load: {load} topic-weeks over {weeks_total} weeks = {load / weeks_total:.2f} distinct topics a week")
    print("busiest weeks:", sorted(((len(t), str(w)) for w, t in per_week.items()), reverse=True)[:5])


if __name__ == "__main__":
    main()
