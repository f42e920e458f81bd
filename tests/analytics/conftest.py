from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lifecycle.legal_world import fake_checker
from xinfang.lifecycle import notices


@pytest.fixture(autouse=True)
def documents_stand_in() -> Iterator[None]:
    """Cases are driven through the engine with `FakeNotice` documents, as in the lifecycle tests."""
    with notices.registered(fake_checker):
        yield
