"""Petition agents (信访代办): a village or community cadre who registers and follows petitions on a petitioner's
behalf, with the petitioner's consent recorded (`Mandate`). An agent sees only the petitions they represent:
`lifecycle.visibility` reads these records (so this module sits below the lifecycle)."""

from __future__ import annotations

from django.db import models

from xinfang.intake.models import Petition
from xinfang.org.models import Role, Staff


class Agent(models.Model):
    staff = models.OneToOneField(Staff, on_delete=models.PROTECT, related_name="agent", verbose_name="代办员")
    title = models.CharField("身份", max_length=60, help_text="如：村党支部书记、社区网格员")
    active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "信访代办员"

    def __str__(self) -> str:
        return f"{self.staff.display_name}（{self.title}）"


class Mandate(models.Model):
    """The petitioner's consent that ``agent`` registers and follows ``petition`` on their behalf."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="mandates")
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="mandates")
    consent = models.TextField("信访人同意代办的情况")
    consent_on = models.DateField("同意日期")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "代办委托"
        constraints = [models.UniqueConstraint(fields=("agent", "petition"), name="agents_mandate_once")]

    def __str__(self) -> str:
        return f"{self.agent} · {self.petition.number}"


def represented_petitions(staff: Staff) -> set[int] | None:
    """None if ``staff`` is not an active agent; else the ids of the petitions they represent (cached on the
    staff object for the request). An agent registers at a desk, so only a registrar can be one: nobody else
    pays the query."""
    if hasattr(staff, "_represented_petitions"):
        cached: set[int] | None = staff._represented_petitions
        return cached
    found: set[int] | None = None
    if staff.has_role(Role.REGISTRAR):
        rows = list(
            Agent.objects.filter(staff_id=staff.pk, active=True).values_list("mandates__petition_id", flat=True)
        )
        found = {pk for pk in rows if pk is not None} if rows else None
    staff._represented_petitions = found  # type: ignore[attr-defined]
    return found
