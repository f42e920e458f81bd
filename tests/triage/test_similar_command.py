"""`similar --index --query --k --out` with the issue's interface, on small hand-written CSVs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .csvs import read, write

REPO = Path(__file__).resolve().parents[2]
HEADER = ("id", "title", "body", "user", "time")

CORPUS = [
    (
        "c1",
        "阳光小区门口道路积水严重",
        "每逢下雨阳光小区门口的道路就积水半米深，居民出行困难，请尽快修排水管。",
        "u1",
        "2019-03-01",
    ),
    (
        "c2",
        "幸福中学周边摊贩占道",
        "幸福中学放学时间周边摊贩占道经营，学生过马路很危险，请城管整治。",
        "u2",
        "2019-04-02",
    ),
    (
        "c3",
        "红星公司拖欠农民工工资",
        "红星公司承建的项目拖欠五十名农民工工资，已经半年，请劳动监察介入。",
        "u3",
        "2019-05-03",
    ),
    ("c4", "阳光小区路灯不亮", "阳光小区一期的路灯坏了一个月没人修。", "u9", "2019-06-04"),
]


def _similar(tmp_path: Path, queries: Sequence[tuple[str, ...]], k: int = 5) -> list[dict[str, str]]:
    index = write(tmp_path / "corpus.csv", HEADER, CORPUS)
    query = write(tmp_path / "queries.csv", HEADER[: len(queries[0])], queries)
    out = tmp_path / "hits.csv"
    call_command("similar", "--index", str(index), "--query", str(query), "--k", str(k), "--out", str(out))
    assert out.read_text("utf-8").splitlines()[0] == "query_id,rank,id,score"
    return read(out)


def test_a_reworded_copy_finds_its_original_and_an_unrelated_message_finds_nothing(tmp_path: Path) -> None:
    queries = [
        ("q1", "红星公司拖欠农民工工资", "请劳动监察介入。红星公司承建的项目拖欠50名农民工工资已经半年"),
        ("q2", "公园健身器材损坏", "人民公园里的健身器材坏了很久，老人锻炼不方便，希望园林部门更换。"),
    ]
    hits = _similar(tmp_path, queries)
    assert [(h["query_id"], h["rank"], h["id"]) for h in hits] == [("q1", "1", "c3")]
    assert 0.6 <= float(hits[0]["score"]) <= 1


def test_same_user_lowers_the_bar_and_k_caps_the_hits(tmp_path: Path) -> None:
    # The same person writes again about the same estate in other words: below 0.6, above 0.3.
    query = ("q1", "阳光小区排水", "排水管堵了，下雨积水，请修一下。", "u1", "2019-03-20")
    same = _similar(tmp_path, [query])
    other = _similar(tmp_path, [(*query[:3], "u7", query[4])])
    assert [h["id"] for h in same] == ["c1"]
    assert 0.3 <= float(same[0]["score"]) < 0.6
    assert other == []
    copies = [("q2", CORPUS[0][1], CORPUS[0][2])]
    assert len(_similar(tmp_path, copies, k=1)) == 1


def test_a_query_that_is_a_corpus_row_does_not_find_itself(tmp_path: Path) -> None:
    hits = _similar(tmp_path, [CORPUS[2][:3]])
    assert hits == []


def test_missing_column_and_bad_time_exit_2(tmp_path: Path) -> None:
    index = write(tmp_path / "corpus.csv", HEADER, CORPUS)
    no_title = write(tmp_path / "q.csv", ("id", "body"), [("q", "阳光小区")])
    with pytest.raises(CommandError) as caught:
        call_command("similar", "--index", str(index), "--query", str(no_title), "--out", str(tmp_path / "h.csv"))
    assert caught.value.returncode == 2
    assert str(no_title) in str(caught.value) and "title" in str(caught.value)
    bad_time = write(tmp_path / "q2.csv", HEADER, [("q", "阳光小区", "积水", "u1", "昨天")])
    with pytest.raises(CommandError) as caught:
        call_command("similar", "--index", str(index), "--query", str(bad_time), "--out", str(tmp_path / "h.csv"))
    assert caught.value.returncode == 2 and "time" in str(caught.value)


def test_empty_corpus_exits_2_from_the_shell(tmp_path: Path) -> None:
    empty = tmp_path / "corpus.csv"
    empty.write_text("", "utf-8")
    query = write(tmp_path / "q.csv", ("id", "title", "body"), [("q", "阳光小区", "积水")])
    args = ["similar", "--index", str(empty), "--query", str(query), "--k", "5", "--out", str(tmp_path / "h.csv")]
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=dict(os.environ), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert str(empty) in result.stderr
