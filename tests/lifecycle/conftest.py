from __future__ import annotations

from collections.abc import Iterator

import pytest

from xinfang.lifecycle import notices

from .legal_world import fake_checker


@pytest.fixture(autouse=True)
def documents_stand_in() -> Iterator[None]:
    """Lifecycle tests name issued documents with `FakeNotice`; the documents app is not involved."""
    with notices.registered(fake_checker):
        yield
