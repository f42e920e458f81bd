"""What the workspace keeps of its own: each person's saved list filters."""

from __future__ import annotations

from django.db import models

from xinfang.org.models import Staff


class SavedFilter(models.Model):
    """A named list query (the filter form's fields, the sort and the page size) that one person saved."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="saved_filters", verbose_name="工作人员")
    name = models.CharField("名称", max_length=40)
    query = models.CharField("查询条件", max_length=1000)
    created_at = models.DateTimeField("保存时间")

    class Meta:
        verbose_name = "保存的查询条件"
        verbose_name_plural = "保存的查询条件"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["staff", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
