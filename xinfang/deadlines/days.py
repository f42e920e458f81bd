"""Local calendar days as moments: the bounds of a day range in the project's time zone.

A filter on ``at >= first moment`` and ``at < the moment after the last day`` can use an index on the column; a
``__date`` lookup converts every row's time first."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of ``first`` and the first moment after ``last``, in local time."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
