"""Facts derived from the event chain and the clocks, their daily rollups, and the rollup's watermark.

A ``Fact`` is one case counted once in one measure on one day (the ledger every figure drills down to);
a ``Rollup`` is the facts of one day summed per organ × category × region × channel × measure. Both are
derived data: `services.recompute` rebuilds any day range from the events and clocks, idempotently.
"""

from __future__ import annotations

from django.db import models

from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ


class Fact(models.Model):
    day = models.DateField("日期")
    key = models.CharField("计量", max_length=60)  # measure, or measure:rule for clock measures
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    category = models.CharField("类别", max_length=12, blank=True)
    region_code = models.CharField("问题发生地", max_length=6, blank=True)
    channel = models.CharField("渠道", max_length=10, blank=True)
    value = models.IntegerField("数值", default=0)  # days, for clock_days

    class Meta:
        verbose_name = "统计明细"
        verbose_name_plural = "统计明细"
        indexes = [
            models.Index(fields=["day", "key"], name="fact_day"),
            models.Index(fields=["key", "day", "organ"], name="fact_drill"),
            models.Index(fields=["case"], name="fact_case"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.key} #{self.case_id}"


class Rollup(models.Model):
    day = models.DateField("日期")
    key = models.CharField("计量", max_length=60)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    category = models.CharField("类别", max_length=12, blank=True)
    region_code = models.CharField("问题发生地", max_length=6, blank=True)
    channel = models.CharField("渠道", max_length=10, blank=True)
    count = models.PositiveIntegerField("件数")
    total = models.BigIntegerField("数值合计", default=0)

    class Meta:
        verbose_name = "日汇总"
        verbose_name_plural = "日汇总"
        indexes = [
            models.Index(fields=["key", "day", "organ"], name="rollup_read"),
            models.Index(fields=["day"], name="rollup_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.key} {self.organ_id}: {self.count}"


class RollupState(models.Model):
    """One row: the last event folded in, and the day the rollups were computed as of."""

    last_seq = models.BigIntegerField("已汇总事件序号", default=0)
    as_of = models.DateField("统计截至日", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", null=True, blank=True)
    progress = models.CharField("进度", max_length=200, blank=True)

    class Meta:
        verbose_name = "汇总进度"
        verbose_name_plural = "汇总进度"

    def __str__(self) -> str:
        return f"#{self.last_seq} @ {self.as_of}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


class Report(models.Model):
    """A 月报 or 季报 of one organ subtree, generated in the background; the files are kept with it."""

    kind = models.CharField("报表类型", max_length=10, choices=[("monthly", "月报"), ("quarterly", "季报")])
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("月份或季度")
    root = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="统计范围")
    requested_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+", verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间")
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    step = models.PositiveSmallIntegerField("已完成步骤", default=0)
    steps = models.PositiveSmallIntegerField("步骤总数", default=3)
    note = models.CharField("进度说明", max_length=200, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    docx = models.BinaryField("DOCX", blank=True, default=b"")
    pdf = models.BinaryField("PDF", blank=True, default=b"")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "统计报表"
        verbose_name_plural = "统计报表"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.title or f"{self.year}-{self.number} {self.kind}"

    @property
    def percent(self) -> int:
        return int(100 * self.step / self.steps) if self.steps else 0


class MonthRollup(models.Model):
    """The daily rollups of one calendar month summed per organ × category × region × channel × measure.

    Derived from `Rollup` whenever a day of the month is recomputed; a period's whole months are read here and
    only its partial months from the daily rollups, so a year reads twelve months' rows instead of 365 days'.
    """

    month = models.DateField("月份")  # the first day of the month
    key = models.CharField("计量", max_length=60)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    category = models.CharField("类别", max_length=12, blank=True)
    region_code = models.CharField("问题发生地", max_length=6, blank=True)
    channel = models.CharField("渠道", max_length=10, blank=True)
    count = models.PositiveIntegerField("件数")
    total = models.BigIntegerField("数值合计", default=0)

    class Meta:
        verbose_name = "月汇总"
        verbose_name_plural = "月汇总"
        indexes = [models.Index(fields=["key", "month", "organ"], name="month_read")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.key} {self.organ_id}: {self.count}"


class OrganDayRollup(models.Model):
    """The daily rollups summed over category, region and channel: what a page without those filters reads."""

    day = models.DateField("日期")
    key = models.CharField("计量", max_length=60)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    count = models.PositiveIntegerField("件数")
    total = models.BigIntegerField("数值合计", default=0)

    class Meta:
        verbose_name = "机关日汇总"
        verbose_name_plural = "机关日汇总"
        indexes = [models.Index(fields=["day", "organ"], name="organ_day_read")]

    def __str__(self) -> str:
        return f"{self.day} {self.key} {self.organ_id}: {self.count}"


class OrganMonthRollup(models.Model):
    """The month rollups summed over category, region and channel."""

    month = models.DateField("月份")
    key = models.CharField("计量", max_length=60)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", verbose_name="机关")
    count = models.PositiveIntegerField("件数")
    total = models.BigIntegerField("数值合计", default=0)

    class Meta:
        verbose_name = "机关月汇总"
        verbose_name_plural = "机关月汇总"
        indexes = [models.Index(fields=["month", "organ"], name="organ_month_read")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.key} {self.organ_id}: {self.count}"
