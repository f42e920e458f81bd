from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("XINFANG_TESTING", "1")
# A fixed key for the encrypted personal-data fields in tests only (never a real deployment's key).
os.environ.setdefault("XINFANG_FIELD_KEY", "7465737420666965 6c64206b65792031".replace(" ", ""))

SLOW_PARTS = ("tests/browser/", "tests/demo/", "tests/imports/test_kill.py", "tests/imports/test_scale.py")


def pytest_collection_modifyitems(config: object, items: list[Any]) -> None:
    """Browser walks, the demo seed and the 10,000-row imports are `slow`: `./dev test -m "not slow"` skips them."""
    import pytest

    for item in items:
        if any(part in item.nodeid for part in SLOW_PARTS):
            item.add_marker(pytest.mark.slow)
