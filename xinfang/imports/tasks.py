"""The background run of an import (django-tasks, database backend; `python manage.py db_worker`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import task

from xinfang.org.models import Staff

from .models import ImportBatch
from .services import mark_failed, queue_batch, run_batch


@task()
def run_import(batch_id: int) -> None:
    try:
        run_batch(batch_id)
    except Exception as exc:
        mark_failed(batch_id, f"{type(exc).__name__}: {exc}")
        raise


def start_batch(batch: ImportBatch, *, actor: Staff, now: dt.datetime | None = None) -> None:
    """Queue the batch (refused while the mapping does not fit) and enqueue its run once that commits."""
    if queue_batch(batch, actor=actor, now=now):
        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
