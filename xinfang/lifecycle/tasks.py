"""Background tasks (django-tasks, database backend). Run the worker with `python manage.py db_worker`."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .models import Reminder


@task()
def deliver_reminders(reminder_ids: list[int]) -> int:
    """Deliver queued reminders to their organ's inbox; a reminder already delivered is left alone."""
    return Reminder.objects.filter(pk__in=reminder_ids, delivered_at=None).update(delivered_at=timezone.now())
