"""The golden scenarios a legal reviewer can read: docs/golden/deadlines.csv, run through the CLI."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

GOLDEN = Path(__file__).resolve().parents[2] / "docs" / "golden" / "deadlines.csv"
ROWS = list(csv.DictReader(GOLDEN.open(encoding="utf-8")))


def test_golden_table_covers_every_rule_and_the_hard_dates() -> None:
    from xinfang.rules import load_rulebook

    assert {row["rule"] for row in ROWS} == set(load_rulebook().rules)
    starts = {row["start"][:7] for row in ROWS}
    assert {"2025-01", "2026-02", "2025-10", "2026-09"} <= starts | {row["due"][:7] for row in ROWS}
    assert any(row["pauses"] for row in ROWS) and any(row["region"] for row in ROWS)
    assert any(row["provisional"] == "true" for row in ROWS)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row["case"] for row in ROWS])
def test_golden_scenario(row: dict[str, str]) -> None:
    args = [row["rule"], row["start"], "--json"]
    if row["region"]:
        args += ["--region", row["region"]]
    if row["days"]:
        args += ["--days", row["days"]]
    for pause in filter(None, row["pauses"].split(";")):
        start, end = pause.split("..")
        args += ["--pause", start, end]
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    result = json.loads(out.getvalue())
    expected = {"due": row["due"], "legal_last_day": row["legal_last_day"], "provisional": row["provisional"] == "true"}
    assert {k: result[k] for k in expected} == expected, row["note"]
