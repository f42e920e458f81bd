"""No key, no start: the product refuses to run without XINFANG_FIELD_KEY, and says so in Chinese."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def check(**env: str) -> subprocess.CompletedProcess[str]:
    # Not under the test runner (no XINFANG_TESTING): as a deployment starts, debug on only for the secret key.
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "XINFANG_DEBUG": "1", "DATABASE_URL": "sqlite:////tmp/unused.sqlite3", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_key_the_product_refuses_to_start() -> None:
    result = check()
    assert result.returncode != 0
    assert "未设置环境变量 XINFANG_FIELD_KEY（个人信息字段加密密钥）：系统拒绝启动" in result.stderr


def test_a_malformed_key_is_refused() -> None:
    result = check(XINFANG_FIELD_KEY="not-a-key")
    assert result.returncode != 0
    assert "环境变量 XINFANG_FIELD_KEY 的第 1 个密钥无效" in result.stderr


def test_with_a_key_it_starts() -> None:
    result = check(XINFANG_FIELD_KEY="ab" * 16)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
