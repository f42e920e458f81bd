"""Early-warning evaluation: score the output of `manage.py hotspots` against the known topics of the file.

    python manage.py hotspots --csv ../shared/data/teddy2020c/messages_with_votes.csv \
        --from 2019-01-01 --to 2019-09-30 --out /tmp/alerts.csv
    .venv/bin/python bench/warning.py --csv ../shared/data/teddy2020c/messages_with_votes.csv --alerts /tmp/alerts.csv \
        --from 2019-01-01 --to 2019-09-30

Reads the messages at run time (never copied). For each known topic: its peak week (the ISO week, Monday shown,
with most messages naming it by substring, independent of the extractor), the first day an alert carried one of
its messages, the topic name of that alert and how many weeks before the peak week it was. Then the alert load:
distinct topics raised per week over the replayed weeks, and per topic the weeks it was raised.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from collections import Counter, defaultdict

KNOWN = {
    "伊景园/滨河苑": ("伊景园", "滨河苑"),
    "魅力之城": ("魅力之城",),
    "58车贷": ("58车贷",),
    "A市经济学院": ("经济学院",),
}


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", required=True)
    parser.add_argument("--alerts", required=True)
    parser.add_argument("--from", dest="first", required=True, help="the replay's --from")
    parser.add_argument("--to", dest="last", required=True, help="the replay's --to")
    args = parser.parse_args()
    with open(args.csv, encoding="utf-8-sig", newline="") as handle:
        messages = {r["id"]: r for r in csv.DictReader(handle)}
    with open(args.alerts, encoding="utf-8", newline="") as handle:
        alerts = [
            (dt.date.fromisoformat(r["date"]), r["topic"], r["message_ids"].split()) for r in csv.DictReader(handle)
        ]
    if not alerts:
        print("no alerts")
        return
    day_of = {i: dt.date.fromisoformat(r["time"][:10]) for i, r in messages.items()}
    text_of = {i: r["title"] + r["body"] for i, r in messages.items()}
    first_day, last_day = dt.date.fromisoformat(args.first), dt.date.fromisoformat(args.last)
    print(
        "| topic | messages in replay | peak week (Mon, count) | first flag | alert's topic name | weeks before peak |"
    )
    print("|---|---|---|---|---|---|")
    for label, keys in KNOWN.items():
        ids = {i for i, t in text_of.items() if any(k in t for k in keys)}
        weeks = Counter(monday(day_of[i]) for i in ids if day_of[i] >= first_day)
        peak = min(weeks, key=lambda w: (-weeks[w], w)) if weeks else None
        hits = [(d, t) for d, t, m in alerts if ids.intersection(m)]
        if hits and peak:
            d, t = hits[0]
            ahead = (peak - monday(d)).days // 7
            print(f"| {label} | {sum(weeks.values())} | {peak} ({weeks[peak]}) | {d} | {t} | {ahead} |")
        else:
            print(f"| {label} | {sum(weeks.values())} | {peak} | never | | |")
    per_week: dict[dt.date, set[str]] = defaultdict(set)
    for d, t, _ in alerts:
        per_week[monday(d)].add(t)
    n_weeks = (monday(last_day) - monday(first_day)).days // 7 + 1
    load = sum(len(t) for t in per_week.values())
    print(
        f"alert load: {load} topic-weeks over {n_weeks} weeks = {load / n_weeks:.2f} distinct topics a week;"
        f" busiest week {max(len(t) for t in per_week.values())}"
    )
    topic_weeks: dict[str, set[dt.date]] = defaultdict(set)
    for d, t, _ in alerts:
        topic_weeks[t].add(monday(d))
    print(
        "per topic (weeks raised, first day):",
        "; ".join(f"{t} {len(w)} ({min(w)})" for t, w in sorted(topic_weeks.items(), key=lambda x: min(x[1]))),
    )


if __name__ == "__main__":
    main()
