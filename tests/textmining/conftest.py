from __future__ import annotations

import pytest

from xinfang.textmining.data import data_dir


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "data: reads the shared development data (skipped when it is absent)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if (data_dir() / "teddy2020c").is_dir():
        return
    skip = pytest.mark.skip(reason=f"shared data not found at {data_dir()}")
    for item in items:
        if "data" in item.keywords:
            item.add_marker(skip)
