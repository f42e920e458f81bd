"""Guard mutation check: is every guard of `xinfang.lifecycle.guards.GUARDS` caught by a test?

For each guard, run the fast lifecycle tests with that guard's function replaced by one that allows
everything (returns None); a guard is *caught* when at least one test then fails. A guard is a `Hook`
that the table rows hold directly, so the replacement is made inside the hook: every row, and every
reader that looks it up by name, then runs the mutant. Prints a table and exits 1 if
any guard is not caught.

    cd /work/main && .venv/bin/python -m tests.tools.guard_mutation            # every guard
    .venv/bin/python -m tests.tools.guard_mutation not_to_accused may_assign   # some guards

Environment: DATABASE_URL (default sqlite:////tmp/guard_mutation.sqlite3, never the shared database),
MUTATION_TESTS (default "tests/lifecycle tests/documents/test_services.py"). Each run stops at its first
failure (-x), so a caught guard costs seconds and only an uncaught one runs the whole selection.

The same module is the pytest plugin that does the replacement (-p tests.tools.guard_mutation, with
XINFANG_MUTATE_GUARD=<name>).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ENV_NAME = "XINFANG_MUTATE_GUARD"


def pytest_sessionstart(session: Any) -> None:
    """Replace the named guard once pytest-django has set Django up."""
    name = os.environ.get(ENV_NAME)
    if not name:
        return
    from xinfang.lifecycle.guards import GUARDS

    if name not in GUARDS:
        raise SystemExit(f"unknown guard {name!r}")
    object.__setattr__(GUARDS[name], "fn", lambda ctx: None)  # the hook is frozen; this test tool alone mutates it


def _guard_names(env: dict[str, str]) -> list[str]:
    code = "import django; django.setup(); from xinfang.lifecycle.guards import GUARDS; print(' '.join(GUARDS))"
    env = {**env, "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", "xinfang.settings")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.split()


def _pytest(tests: list[str], env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.tools.guard_mutation"]
    return subprocess.run([*command, *extra, *tests], cwd=ROOT, env=env, capture_output=True, text=True)


def _baseline_failures(tests: list[str], env: dict[str, str]) -> list[str]:
    """Tests failing with no guard replaced: left out of the check (they would hide uncaught guards)."""
    result = _pytest(tests, env, "-rf")
    return [line.split(" ")[1] for line in result.stdout.splitlines() if line.startswith("FAILED ")]


def _run(name: str, tests: list[str], env: dict[str, str]) -> tuple[bool, str, float]:
    started = time.monotonic()
    result = _pytest(tests, {**env, ENV_NAME: name}, "-x")
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    detail = failed[0][7:] if failed else result.stdout.strip().splitlines()[-1]
    return result.returncode != 0, detail, time.monotonic() - started


def main(argv: list[str]) -> int:
    env = {
        **os.environ,
        "XINFANG_TESTING": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/guard_mutation.sqlite3"),
    }
    tests = os.environ.get("MUTATION_TESTS", "tests/lifecycle tests/documents/test_services.py").split()
    names = argv or _guard_names(env)
    broken = _baseline_failures(tests, env)
    if broken:
        print("failing before any mutation, deselected:", *broken, sep="\n  ")
        tests = [*tests, *(f"--deselect={node}" for node in broken)]
    missed = []
    print(f"{'guard':32} {'caught':7} {'seconds':>7}  first failing test")
    for name in names:
        caught, detail, seconds = _run(name, tests, env)
        if not caught:
            missed.append(name)
        print(f"{name:32} {'yes' if caught else 'NO':7} {seconds:7.1f}  {detail if caught else ''}", flush=True)
    print(
        f"\n{len(names) - len(missed)} of {len(names)} guards caught"
        + (f"; not caught: {', '.join(missed)}" if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
