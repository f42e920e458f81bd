"""The official holiday calendar: statutory holidays and 调休 working days, one year at a time."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class CalendarYear(models.Model):
    """A year whose official arrangement is loaded. Years without a row are computed provisionally."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=200, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "节假日安排年度"
        verbose_name_plural = "节假日安排年度"

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    HOLIDAY = "holiday"
    WORKDAY = "workday"
    KINDS = [(HOLIDAY, "法定节假日（休）"), (WORKDAY, "调休工作日（班）")]

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=KINDS)
    name = models.CharField("节日名称", max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日或调休日"
        verbose_name_plural = "节假日与调休日"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        if self.calendar_year_id and self.date and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": f"日期 {self.date} 不属于 {self.calendar_year.year} 年"})
