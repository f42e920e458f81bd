"""Grid management (网格化): areas with their workers, and the disputes a worker reports from the area.

A report ends one of three ways: resolved on the spot, mediated, or turned into a petition registered through
`intake.services.register_petition` (the petition is linked to the report, and its registrar is the reporter).
The kinds of dispute are data (`rules/data/grid/dispute_kinds.yaml`).
"""

from __future__ import annotations

from django.db import models

from xinfang.intake.models import Petition
from xinfang.org.models import Organ, Staff
from xinfang.rules.disputes import dispute_kinds


class Area(models.Model):
    name = models.CharField("网格名称", max_length=100)
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="所属乡镇（街道）")
    description = models.CharField("范围", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "网格"
        ordering = ("organ__path", "name")
        constraints = [models.UniqueConstraint(fields=("organ", "name"), name="grid_area_name_once")]

    def __str__(self) -> str:
        return self.name


class Worker(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="workers", verbose_name="网格")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="grid_posts", verbose_name="网格员")
    since = models.DateField("任职日期")

    class Meta:
        verbose_name = verbose_name_plural = "网格员"
        constraints = [models.UniqueConstraint(fields=("area", "staff"), name="grid_worker_once")]

    def __str__(self) -> str:
        return f"{self.staff.display_name}（{self.area.name}）"


class Outcome(models.TextChoices):
    OPEN = "open", "待化解"
    RESOLVED = "resolved", "当场化解"
    MEDIATED = "mediated", "调解化解"
    PETITION = "petition", "转为信访事项"


class Report(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="reports", verbose_name="网格")
    reporter = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="上报网格员")
    kind = models.CharField("纠纷类别", max_length=30)
    place = models.CharField("地点", max_length=200)
    parties = models.TextField("当事人")
    description = models.TextField("纠纷情况")
    reported_at = models.DateTimeField("上报时间")
    outcome = models.CharField("处置结果", max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_note = models.TextField("处置情况", blank=True)
    concluded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    concluded_at = models.DateTimeField("处置时间", null=True, blank=True)
    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, null=True, blank=True, related_name="grid_report", verbose_name="信访件"
    )

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷上报"
        ordering = ("-reported_at", "-pk")
        indexes = [models.Index(fields=["area", "reported_at"], name="grid_report_area_day")]

    def __str__(self) -> str:
        return f"{self.area.name} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return dispute_kinds().label(self.kind)
