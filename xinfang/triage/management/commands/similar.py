"""`similar --index CORPUS.csv --query QUERIES.csv --k 5 --out HITS.csv`: possible repeats.

Both CSVs: `id,title,body`, optionally `user,time`. HITS.csv: `query_id,rank,id,score` for the hits that pass
the "possible repeat" threshold of `xinfang.textmining.repeats.RepeatIndex` (text similarity ≥ 0.6, or ≥ 0.3
for the same `user`), at most k per query, most similar first; a query may have none. A corpus row with the
query's own id and the same text is the query itself and is not a hit. Bad input exits 2.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.textmining.repeats import Record, RepeatIndex
from xinfang.triage.csvfiles import CsvError, parse_date, read_rows, require_values, write_rows

COLUMNS = ("id", "title", "body")


def _text(row: dict[str, str]) -> str:
    return f"{row['title']}。{row['body']}" if row["title"] and row["body"] else row["title"] or row["body"]


class Command(BaseCommand):
    help = "在已有信件中查找可能的重复件（CSV：id,title,body[,user,time]）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--index", required=True, help="已有信件 CSV：id,title,body[,user,time]")
        parser.add_argument("--query", required=True, help="待查信件 CSV：id,title,body[,user,time]")
        parser.add_argument("--k", type=int, default=5, help="每条最多返回的结果数（默认 5）")
        parser.add_argument("--out", required=True, help="输出 CSV：query_id,rank,id,score")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(options["index"], options["query"], options["k"], options["out"])
        except CsvError as error:
            raise CommandError(str(error), returncode=2) from error

    def run(self, index_path: str, query_path: str, k: int, out_path: str) -> None:
        if k < 1:
            raise CsvError(f"参数 --k 须为正整数，而不是 {k}")
        corpus = read_rows(index_path, COLUMNS)
        queries = read_rows(query_path, COLUMNS)
        require_values(index_path, corpus, "id")
        require_values(query_path, queries, "id")
        index = RepeatIndex()
        texts: dict[str, str] = {}
        for number, row in enumerate(corpus, start=2):
            if row["id"] in texts:
                raise CsvError(f"文件 {index_path} 第 {number} 行的列 id 重复：{row['id']}")
            texts[row["id"]] = _text(row)
            date = parse_date(index_path, number, row.get("time", ""))
            index.add(Record(row["id"], texts[row["id"]], row.get("user", ""), date))
        hits: list[tuple[str, int, str, str]] = []
        for number, row in enumerate(queries, start=2):
            text = _text(row)
            date = parse_date(query_path, number, row.get("time", ""))
            itself = row["id"] if texts.get(row["id"]) == text else None
            found = index.query(text, row.get("user", ""), date, k=k, exclude=itself)
            hits.extend((row["id"], rank, c.id, f"{c.similarity:.4f}") for rank, c in enumerate(found, start=1))
        write_rows(out_path, ("query_id", "rank", "id", "score"), hits)
        self.stdout.write(f"已检索：{len(queries)} 条，命中 {len(hits)} 条；结果写入 {out_path}")
