"""The background run of an import (django-tasks, database backend; `python manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import mark_failed, run_batch


@task()
def run_import(batch_id: int) -> None:
    try:
        run_batch(batch_id)
    except Exception as exc:
        mark_failed(batch_id, f"{type(exc).__name__}: {exc}")
        raise
