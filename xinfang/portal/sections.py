"""Sections other apps add to portal pages, without the portal importing them (the apps sit above it).

An app registers, in its ``AppConfig.ready``, a function for a page ("organs", "progress"); the page calls
`collect` and includes each returned section's template with its data. A function returns None to add nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    template: str
    data: Any


Provider = Callable[..., "Section | None"]
_PROVIDERS: dict[str, list[Provider]] = {}


def register(page: str, provider: Provider) -> None:
    providers = _PROVIDERS.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def collect(page: str, *args: Any) -> list[Section]:
    return [s for s in (provider(*args) for provider in _PROVIDERS.get(page, [])) if s is not None]
