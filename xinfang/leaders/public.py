"""What the portal shows of the leaders app, through `portal.sections`: the published reception schedule on the
organs page (Art. 18(1): 信访接待的时间和地点) and, on a petitioner's progress page, the appointments of that
petition's cases. No staff identifiers beyond the leader's name and post."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xinfang.portal.sections import Section

from .models import Appointment, ReceptionDay


def schedule_section() -> Section:
    today = timezone.localdate()
    days = (
        ReceptionDay.objects.filter(published=True, day__gte=today)
        .select_related("organ", "leader")
        .order_by("day", "starts", "organ__path")[:100]
    )
    return Section("leaders/_public_schedule.html", list(days))


def appointments_section(petition: Any) -> Section | None:
    found = list(
        Appointment.objects.filter(case__petition=petition).select_related("leader__organ").order_by("starts_at")
    )
    return Section("leaders/_public_appointments.html", found) if found else None
