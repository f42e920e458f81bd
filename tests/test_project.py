"""Project-wide promises: settings from the environment, and a Django-free rules package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from xinfang.rules import load_rulebook
from xinfang.rules.table import render_markdown

ROOT = Path(__file__).resolve().parent.parent


def python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_rules_package_does_not_import_django() -> None:
    out = python(
        "import sys, xinfang.rules as r; r.load_rulebook(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    assert out == "[]"


def test_database_url_selects_the_database() -> None:
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d.get('HOST', ''))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "xinfang.settings", "XINFANG_TESTING": "1"}
    assert python(code, **env, DATABASE_URL="postgres://u:p@db.example:5432/xf") == (
        "django.db.backends.postgresql xf db.example"
    )
    assert python(code, **env, DATABASE_URL="sqlite:////tmp/x.sqlite3").startswith(
        "django.db.backends.sqlite3 /tmp/x.sqlite3"
    )
    assert python(code, **env).endswith("var/xinfang.sqlite3")


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import xinfang.settings"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "XINFANG_SECRET_KEY" in result.stderr


def test_committed_rules_table_is_current() -> None:
    committed = (ROOT / "docs" / "rules-table.md").read_text(encoding="utf-8")
    assert committed == render_markdown(load_rulebook()), "运行 python manage.py rules_table 更新"


def test_rules_table_check_fails_when_stale(tmp_path: Path) -> None:
    stale = tmp_path / "rules-table.md"
    stale.write_text("# old\n", encoding="utf-8")
    with pytest.raises(Exception, match="已过期"):
        call_command("rules_table", "--check", "--output", str(stale))
    call_command("rules_table", "--output", str(stale))
    call_command("rules_table", "--check", "--output", str(stale))
    assert "自受理之日起60日内办结" in stale.read_text(encoding="utf-8")
