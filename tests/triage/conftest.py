from __future__ import annotations

from collections.abc import Iterator

import pytest

from xinfang.triage import index


@pytest.fixture(autouse=True)
def _fresh_repeat_index() -> Iterator[None]:
    """The repeat index lives in the process: each test starts from its own database's cases."""
    index.reset()
    yield
    index.reset()
