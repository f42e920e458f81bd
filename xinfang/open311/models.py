"""Partner systems that speak Open311 GeoReport v2 to us, their API keys (hashed), and every call they make."""

from __future__ import annotations

from django.db import models

from xinfang.imports.models import ImportSource
from xinfang.org.models import Organ


class Partner(models.Model):
    """One partner system (12345、网格、App) of one organ. Its requests arrive in the organ's verification queue."""

    name = models.CharField("合作系统名称", max_length=100)
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="所属机关")
    source = models.OneToOneField(
        ImportSource, on_delete=models.PROTECT, related_name="partner", verbose_name="导入来源"
    )
    # The key is shown once when issued; only its prefix (to find it) and its SHA-256 are stored.
    key_prefix = models.CharField("密钥前缀", max_length=12, unique=True)
    key_hash = models.CharField("密钥摘要（SHA-256）", max_length=64)
    hourly_limit = models.PositiveIntegerField("每小时调用上限", default=600)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "Open311 合作系统"
        verbose_name_plural = "Open311 合作系统"

    def __str__(self) -> str:
        return self.name


class ApiCall(models.Model):
    """One call: who, when, which method and path (never the query string: it may carry the key), and the answer."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, null=True, blank=True, related_name="calls", verbose_name="合作系统"
    )
    at = models.DateTimeField("时间")
    method = models.CharField("方法", max_length=8)
    path = models.CharField("路径", max_length=200)
    status = models.PositiveSmallIntegerField("响应状态码")

    class Meta:
        verbose_name = "接口调用记录"
        verbose_name_plural = "接口调用记录"
        indexes = [models.Index(fields=["partner", "at"], name="open311_call_partner_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
