"""The table's rows point at hooks: each one used has its Chinese words, and every guard is known by name."""

from __future__ import annotations

import re
from typing import Any

from xinfang.lifecycle.guards import GUARDS
from xinfang.lifecycle.hooks import Hook, hook
from xinfang.lifecycle.table import TABLE

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_trigger_bound_and_condition_in_the_table_has_chinese_words() -> None:
    used: set[Hook[Any]] = {s.trigger for t in TABLE for s in t.starts} | {s.bound for t in TABLE for s in t.starts}
    used |= {s.when for t in TABLE for s in t.starts if s.when is not None}
    assert [h.name for h in used if not HAN.search(h.label)] == []


def test_every_guard_of_the_table_is_known_by_its_name() -> None:
    """The mutation check (tests/tools/guard_mutation.py) replaces guards by name: none may be missing."""
    used = {guard for t in TABLE for guard in t.guards}
    assert all(GUARDS[guard.name] is guard for guard in used)


def test_a_hook_runs_its_function_and_answers_to_its_name() -> None:
    @hook("测试", name="answer")
    def check(ctx: object) -> str:
        return "ran"

    assert isinstance(check, Hook) and check(None) == "ran"  # type: ignore[arg-type]
    assert check == "answer" and check in {"answer"} and check != "other" and str(check) == "answer"
