"""Portal records: hashed query codes, throttling counters, ratings and their follow-ups, published hearings."""

from __future__ import annotations

from django.db import models

from xinfang.intake.models import Petition
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff


class QueryCode(models.Model):
    """The secret the petitioner receives with the number; only its keyed hash is stored (`portal.codes`)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="query_code")
    code_hash = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "查询码"
        verbose_name_plural = "查询码"

    def __str__(self) -> str:
        return f"{self.petition_id}"


class Throttle(models.Model):
    """Hits per key (an address, a petition number, a used CAPTCHA) in a fixed window."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_throttle_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.hits}"


class Aspect(models.TextChoices):
    ACCEPTANCE = "acceptance", "受理情况"
    RESULT = "result", "办理结果"


class Level(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Rating(models.Model):
    """评价 (Art. 21(2)): once per petition and aspect."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="ratings")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ratings")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="被评价机关")
    aspect = models.CharField("评价内容", max_length=12, choices=Aspect.choices)
    level = models.CharField("评价", max_length=12, choices=Level.choices)
    reason = models.TextField("不满意的原因", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        constraints = [models.UniqueConstraint(fields=["petition", "aspect"], name="one_rating_per_aspect")]
        indexes = [models.Index(fields=["level", "created_at"], name="rating_level_day")]  # the follow-up statistics

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}：{self.get_level_display()}"


class FollowUpOutcome(models.TextChoices):
    RESOLVED = "resolved", "已回访，问题已解决"
    EXPLAINED = "explained", "已回访，已解释说明"
    STILL_UNSATISFIED = "still_unsatisfied", "已回访，信访人仍不满意"
    UNREACHABLE = "unreachable", "多次联系未果"


class FollowUp(models.Model):
    """回访: queued for the organ when the petitioner is not satisfied; staff record what came of it."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="follow_up")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="回访机关")
    created_at = models.DateTimeField()
    outcome = models.CharField("回访结果", max_length=20, choices=FollowUpOutcome.choices, blank=True)
    note = models.TextField("回访情况", blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        indexes = [models.Index(fields=["organ", "recorded_at"], name="follow_up_queue")]

    def __str__(self) -> str:
        return f"回访 {self.rating}"


class HearingResult(models.Model):
    """A re-review hearing result the organ publishes, without identifying details (Art. 36(2))."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="复核机关")
    held_on = models.DateField("听证日期")
    subject = models.CharField("事项概要（不含个人信息）", max_length=200)
    conclusion = models.TextField("听证结论")
    published_on = models.DateField("公开日期")

    class Meta:
        verbose_name = "复核听证结果"
        verbose_name_plural = "复核听证结果"
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organ} {self.held_on} {self.subject}"
