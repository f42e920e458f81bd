"""`hotspots --csv --from --to --out` with the issue's interface, on small invented CSVs.

Detector settings from `warning/detector.yaml`: a 7-day window (today included), a 28-day baseline, ≥ 2
petitioners, ≥ 4 messages, rate ≥ 3 × the baseline's (an empty baseline counts as one message).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from xinfang.textmining.topics import Alert, StableNames

REPO = Path(__file__).resolve().parents[2]
HEADER = ("id", "user", "title", "body", "time")
QUIET = [(f"h{n}", f"p{n}", "路灯不亮", f"第{n}号路灯不亮，请修复", f"2026-02-{n + 1:02d} 09:00:00") for n in range(20)]
BURST = [
    ("b1", "u1", "幸福花园车库积水", "幸福花园地下车库积水", "2026-03-02 10:00:00"),
    ("b2", "u2", "车库积水", "幸福花园小区车库又积水了", "2026-03-03 10:00:00"),
    ("b3", "u3", "积水", "投诉幸福花园车库积水", "2026-03-04 10:00:00"),
    ("b4", "u1", "再次反映", "幸福花园车库积水无人处理", "2026-03-05 10:00:00"),
    ("late", "u4", "幸福花园", "幸福花园车库积水", "2026-03-11 10:00:00"),  # after --to: never read
]


def _write(path: Path, rows: Sequence[tuple[str, ...]], header: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(tmp_path: Path, csv_path: Path, first: str = "2026-03-01", last: str = "2026-03-10") -> list[dict[str, str]]:
    out = tmp_path / "out" / "alerts.csv"
    call_command("hotspots", "--csv", str(csv_path), "--from", first, "--to", last, "--out", str(out))
    assert out.read_text("utf-8").splitlines()[0] == "date,topic,score,message_ids"
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_burst_after_a_quiet_month_is_raised_while_the_window_holds_four_messages(tmp_path: Path) -> None:
    rows = _run(tmp_path, _write(tmp_path / "m.csv", QUIET + BURST))
    # 3-05: the window 2-27..3-05 holds b1..b4 (3 petitioners); rate (4/7) / (1/28) = 16. From 3-09 the window
    # (3-03..3-09) holds three messages: below four.
    assert [(r["date"], r["topic"], r["score"], r["message_ids"]) for r in rows] == [
        (f"2026-03-0{d}", "幸福花园", "16.00", "b1 b2 b3 b4") for d in (5, 6, 7, 8)
    ]


def test_each_day_sees_only_messages_up_to_it(tmp_path: Path) -> None:
    rows = _run(tmp_path, _write(tmp_path / "m.csv", QUIET + BURST), first="2026-03-01", last="2026-03-04")
    assert rows == []  # on 3-04 only three messages are known; b4 (3-05) is not seen early


def test_history_before_from_is_the_baseline(tmp_path: Path) -> None:
    earlier = [(f"e{n}", f"x{n}", "幸福花园", "幸福花园车库积水", f"2026-02-{10 + n:02d} 08:00:00") for n in range(4)]
    rows = _run(tmp_path, _write(tmp_path / "m.csv", QUIET + earlier + BURST))
    # 3-05: baseline 2-01..2-26 holds 4 earlier messages: (4/7) / (4/28) = 4 ≥ 3: still raised, score 4.
    assert {(r["date"], r["score"]) for r in rows} == {(f"2026-03-0{d}", "4.00") for d in (5, 6, 7, 8)}


def test_one_person_writing_often_raises_nothing(tmp_path: Path) -> None:
    alone = [(i, "u1", t, b, when) for i, _, t, b, when in BURST]
    assert _run(tmp_path, _write(tmp_path / "m.csv", QUIET + alone)) == []


def test_a_topic_keeps_its_first_name_when_another_spelling_becomes_commoner() -> None:
    names = StableNames()
    day = dt.date(2026, 3, 1)

    def alert(topic: str, *variants: str) -> Alert:
        return Alert(topic, day, 4, 2, 0, 16.0, ("a",), variants)

    assert names(alert("滨河苑", "滨河苑")).topic == "滨河苑"
    assert names(alert("伊景园", "伊景园", "伊景园滨河苑", "滨河苑")).topic == "滨河苑"
    assert names(alert("伊景园", "伊景园")).topic == "滨河苑"
    assert names(alert("魅力之城", "魅力之城")).topic == "魅力之城"


def _error(tmp_path: Path, *args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("hotspots", *args, "--out", str(tmp_path / "alerts.csv"))
    assert caught.value.returncode == 2
    assert not (tmp_path / "alerts.csv").exists()
    return caught.value


def test_a_file_without_the_body_column_exits_2_naming_file_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", [r[:4] for r in QUIET], (*HEADER[:3], "time"))
    message = str(_error(tmp_path, "--csv", str(path), "--from", "2026-03-01", "--to", "2026-03-02"))
    assert str(path) in message and "body" in message


def test_bad_time_duplicate_id_missing_file_and_bad_dates_exit_2(tmp_path: Path) -> None:
    bad_time = _write(tmp_path / "t.csv", [*QUIET[:2], ("x", "u", "t", "b", "三月五日")])
    assert "第 4 行的列 time" in str(
        _error(tmp_path, "--csv", str(bad_time), "--from", "2026-03-01", "--to", "2026-03-02")
    )
    dup = _write(tmp_path / "d.csv", [QUIET[0], QUIET[0]])
    assert "第 3 行的列 id 重复" in str(
        _error(tmp_path, "--csv", str(dup), "--from", "2026-03-01", "--to", "2026-03-02")
    )
    missing = tmp_path / "none.csv"
    assert str(missing) in str(_error(tmp_path, "--csv", str(missing), "--from", "2026-03-01", "--to", "2026-03-02"))
    good = _write(tmp_path / "g.csv", QUIET)
    assert "--from" in str(_error(tmp_path, "--csv", str(good), "--from", "2026/3/1", "--to", "2026-03-02"))
    assert "晚于" in str(_error(tmp_path, "--csv", str(good), "--from", "2026-03-05", "--to", "2026-03-02"))


def test_bad_input_exits_2_from_the_shell(tmp_path: Path) -> None:
    path = _write(tmp_path / "m.csv", [r[:3] for r in QUIET], HEADER[:3])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.setdefault("XINFANG_FIELD_KEY", "00112233445566778899aabbccddeeff")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "manage.py"),
            "hotspots",
            "--csv",
            str(path),
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-02",
            "--out",
            str(tmp_path / "a.csv"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 2
    assert "time" in result.stderr and str(path) in result.stderr
