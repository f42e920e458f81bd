"""Hotspot alerts: a problem (a place or an organisation) about which petitions rise, for the bureau to study.

An alert names a problem and the cases behind it, never a person: there is no list of petitioners and no
score of a person (warnings are about problems and organs' duties).
"""

from __future__ import annotations

from django.db import models

from xinfang.documents.models import Document
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff


class Status(models.TextChoices):
    OPEN = "open", "待研判"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已排除"


class Kind(models.TextChoices):
    HOTSPOT = "hotspot", "热点"
    WEAK = "weak", "弱信号"


class Alert(models.Model):
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="研判机关")
    day = models.DateField("预警日期")
    topic = models.CharField("问题（地点或单位）", max_length=100)
    variants = models.JSONField("名称写法", default=list)
    count = models.PositiveIntegerField("近期件数")
    persons = models.PositiveIntegerField("涉及信访人数")
    baseline = models.PositiveIntegerField("此前件数")
    ratio = models.FloatField("增幅倍数")
    first_day = models.DateField("最早收到")
    last_day = models.DateField("最近收到")
    cases = models.ManyToManyField(Case, related_name="+", verbose_name="相关案件")
    status = models.CharField("研判结论", max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField("研判理由", blank=True)
    created_at = models.DateTimeField("生成时间")
    kind = models.CharField("预警类型", max_length=10, choices=Kind.choices, default=Kind.HOTSPOT)
    score = models.FloatField("弱信号得分", default=0)
    factors = models.JSONField("弱信号因素", default=list)  # [{key, label, value, weight, points}]
    trend = models.JSONField("每日件数", default=list)  # from trend_start to day
    trend_start = models.DateField("趋势起始日", null=True, blank=True)
    organs = models.JSONField("涉及机关", default=list)  # names of the organs handling its cases
    # The 预警提示函 and the organ's written reply (条例 Art. 40 ¶4).
    notice = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="预警提示函"
    )
    addressee = models.ForeignKey(
        Organ, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任机关"
    )
    reply_due = models.DateField("书面反馈期满日", null=True, blank=True)
    # The date was counted through a year whose holiday arrangement is not loaded yet (rules.counting).
    reply_due_provisional = models.BooleanField("期满日为临时结果", default=False)
    reply_text = models.TextField("书面反馈", blank=True)
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="反馈人"
    )
    reply_overdue = models.BooleanField("反馈超期", default=False)

    class Meta:
        verbose_name = "风险预警"
        verbose_name_plural = "风险预警"
        ordering = ("-day", "-ratio", "topic")
        constraints = [models.UniqueConstraint(fields=("organ", "day", "topic"), name="warning_alert_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.topic}"


class DailyCount(models.Model):
    """Petitions a bureau may read, received on one day, by category and region (first cases only, accusations
    left out as in detection): written by the nightly task so that the board's charts read a few hundred rows."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="+", verbose_name="研判机关")
    day = models.DateField("日期")
    category = models.CharField("类别", max_length=12, blank=True)
    region_code = models.CharField("问题发生地", max_length=6)
    count = models.PositiveIntegerField("件数")

    class Meta:
        verbose_name = "每日件数"
        verbose_name_plural = "每日件数"
        constraints = [
            models.UniqueConstraint(fields=("organ", "day", "category", "region_code"), name="warning_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.count}"
