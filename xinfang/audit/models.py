"""The event log: every change, attributable, hash-chained with SM3 so tampering is detectable."""

from __future__ import annotations

from django.conf import settings
from django.db import models

GENESIS = "0" * 64


class ChainHead(models.Model):
    """One row: the last event's sequence number and hash. Locking it serialises appends."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class Event(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    organ = models.ForeignKey("org.Organ", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case_id = models.BigIntegerField("案件", null=True, blank=True, db_index=True)
    petition_id = models.BigIntegerField("信访件", null=True, blank=True, db_index=True)
    action = models.CharField("动作", max_length=40)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    basis = models.TextField("法律依据", blank=True)
    payload = models.JSONField("内容", default=dict)
    petition_digest = models.CharField("信访件内容摘要", max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = "事件"
        verbose_name_plural = "事件"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"
