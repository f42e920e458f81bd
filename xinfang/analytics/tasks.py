"""Background tasks (django-tasks): the nightly rollup increment, and a full rebuild on demand."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from .models import RollupState
from .services import increment, rebuild


def _note(done: int, total: int, note: str) -> None:
    """Progress for the statistics page: written to the one state row as each chunk finishes."""
    with transaction.atomic():
        RollupState.objects.update(progress=f"{done}/{total}：{note}")


@task()
def roll_up_increment() -> dict[str, int]:
    result = increment(progress=_note)
    return {"days": result.days, "facts": result.facts, "rollups": result.rollups}


@task()
def roll_up_rebuild() -> dict[str, int]:
    result = rebuild(progress=_note)
    return {"days": result.days, "facts": result.facts, "rollups": result.rollups}


@task()
def build_report_task(report_id: int) -> None:
    from .reports import build_report, mark_failed

    try:
        build_report(report_id)
    except Exception as exc:
        mark_failed(report_id, f"{type(exc).__name__}: {exc}")
        raise
