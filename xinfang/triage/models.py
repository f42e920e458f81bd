"""Trained classifier models and the suggestions made to staff, with their decision."""

from __future__ import annotations

from django.db import models

from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff


class ClassifierModel(models.Model):
    """A content-category model on disk (`directory`), trained by someone from some data; one is active."""

    version = models.PositiveIntegerField("版本", unique=True)
    directory = models.CharField("模型目录", max_length=300)
    trained_at = models.DateTimeField("训练时间")
    trained_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="训练人"
    )
    trained_by_label = models.CharField("训练人（记录）", max_length=100)
    source = models.CharField("训练数据来源", max_length=200)
    n_train = models.PositiveIntegerField("训练条数")
    labels = models.JSONField("类别", default=list)
    metrics = models.JSONField("评估指标", default=dict)
    data_fingerprint = models.CharField("数据指纹", max_length=64)
    model_hash = models.CharField("模型摘要", max_length=64)
    active = models.BooleanField("当前使用", default=False)

    class Meta:
        verbose_name = "分类模型"
        verbose_name_plural = "分类模型"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="triage_one_active_model")
        ]

    def __str__(self) -> str:
        return f"分类模型 v{self.version}"


class Suggestion(models.Model):
    """What the platform suggested for a case, and what staff then decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="请求人")
    model = models.ForeignKey(
        ClassifierModel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="模型"
    )
    at = models.DateTimeField("建议时间")
    label = models.CharField("建议类别", max_length=200, blank=True)
    score = models.FloatField("置信度", null=True, blank=True)
    alternatives = models.JSONField("其他候选", default=list)  # [[label, score], ...], the next two
    repeats = models.JSONField("可能重复", default=list)  # [{case_id, similarity, same_person, reasons}]
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="建议转送机关"
    )
    organ_basis = models.CharField("建议机关的依据", max_length=300, blank=True)
    decided_label = models.CharField("决定类别", max_length=200, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="决定人"
    )
    accepted = models.BooleanField("采纳建议", null=True, blank=True)

    class Meta:
        verbose_name = "分类建议"
        verbose_name_plural = "分类建议"
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.label}"
