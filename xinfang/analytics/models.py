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
