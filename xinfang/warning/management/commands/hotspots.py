"""`hotspots --csv MESSAGES.csv --from YYYY-MM-DD --to YYYY-MM-DD --out ALERTS.csv`: replay the detector.

Input columns `id,user,title,body,time` (UTF-8, header row; other columns ignored). The days from --from to
--to are replayed in order, as the nightly task runs: each day sees only the messages dated up to it; the
messages before --from are the history the first day sees, those after --to are never read. Output:
`date,topic,score,message_ids`, one row per alert raised on a day (ids of the topic's messages in the recent
window, separated by spaces; score = the recent rate against the baseline's). A topic keeps its name from day
to day (`textmining.topics.StableNames`). Parameters: `warning/detector.yaml`, the same as the nightly task.
Bad input exits 2 with a message naming the file, the line or the column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.textmining.topics import Item, replay
from xinfang.triage.csvfiles import CsvError, parse_date, read_rows, require_values, write_rows
from xinfang.warning.selectors import params

COLUMNS = ("id", "user", "title", "body", "time")


def _day(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CsvError(f"参数 {option} 须为日期 YYYY-MM-DD，而不是 {value!r}") from error


def read_items(path: str) -> list[Item]:
    rows = read_rows(path, COLUMNS)
    for column in ("id", "user", "time"):
        require_values(path, rows, column)
    items: list[Item] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if row["id"] in seen:
            raise CsvError(f"文件 {path} 第 {number} 行的列 id 重复：{row['id']}")
        seen.add(row["id"])
        day = parse_date(path, number, row["time"])
        assert day is not None  # time is required above
        text = "。".join(filter(None, (row["title"], row["body"])))
        items.append(Item(row["id"], row["user"], day, text))
    return items


class Command(BaseCommand):
    help = "风险预警评测：逐日回放信件（CSV：id,user,title,body,time），输出每日预警 date,topic,score,message_ids"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, help="信件 CSV：id,user,title,body,time")
        parser.add_argument("--from", dest="first", required=True, help="回放起始日 YYYY-MM-DD（此前的信件为历史）")
        parser.add_argument("--to", dest="last", required=True, help="回放截止日 YYYY-MM-DD（含）")
        parser.add_argument("--out", required=True, help="输出 CSV：date,topic,score,message_ids")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(options["csv"], options["first"], options["last"], options["out"])
        except CsvError as error:
            raise CommandError(str(error), returncode=2) from error

    def run(self, path: str, first_value: str, last_value: str, out: str) -> None:
        first, last = _day("--from", first_value), _day("--to", last_value)
        if first > last:
            raise CsvError(f"参数 --from（{first}）晚于 --to（{last}）")
        items = [i for i in read_items(path) if i.day <= last]
        rows = [
            (day.isoformat(), alert.topic, f"{alert.ratio:.2f}", " ".join(alert.ids))
            for day, alerts in replay(items, first, last, params())
            for alert in alerts
        ]
        write_rows(out, ("date", "topic", "score", "message_ids"), rows)
        topics = len({r[1] for r in rows})
        self.stdout.write(f"回放 {first} 至 {last}：预警 {len(rows)} 条，涉及 {topics} 个问题；结果写入 {out}")
