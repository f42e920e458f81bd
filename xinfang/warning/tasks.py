"""Background task (django-tasks): the nightly hotspot detection."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services import detect_all


@task()
def detect_hotspots() -> dict[str, int]:
    return {"alerts": detect_all(timezone.localdate())}
