"""Cases (one per organ handling a petition), their clocks, and reminders."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from xinfang.intake.models import Category, Matter, Petition
from xinfang.org.models import Organ

from .states import NON_TERMINAL, DivertTarget, Outcome, State, Via


class Case(models.Model):
    """One organ's record of one petition. Transfer and assignment open the receiver's own case."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="cases")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="cases")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="cases", verbose_name="办理机关")
    # The organ expected to act now: the case's organ, or the review / re-review organ.
    acting_organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    via = models.CharField("来源", max_length=12, choices=Via.choices, default=Via.DIRECT)
    state = models.CharField("状态", max_length=30, choices=State.choices)
    resume_state = models.CharField(max_length=30, blank=True)
    category = models.CharField("类别", max_length=12, choices=Category.choices, blank=True)
    received_at = models.DateTimeField("收到时间")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    review_organ = models.ForeignKey(Organ, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    re_review_organ = models.ForeignKey(Organ, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField("处理意见", max_length=12, choices=Outcome.choices, blank=True)
    divert_target = models.CharField("导入程序", max_length=30, choices=DivertTarget.choices, blank=True)
    completion_report = models.TextField("办结报告", blank=True)
    # Overlay flags (legal-rules §18.1), valid in any non-terminal state.
    overdue = models.BooleanField("超期", default=False)
    supervised = models.BooleanField("督办", default=False)
    execution_monitoring = models.BooleanField("督促执行", default=False)
    leader_case = models.BooleanField("领导包案", default=False)
    major_urgent = models.BooleanField("重大紧急", default=False)
    confidential_accusation = models.BooleanField("检举控告保密", default=False)
    extension_used = models.BooleanField("已延期", default=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField("最近变动")

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        indexes = [
            models.Index(fields=["acting_organ", "state", "updated_at"], name="case_queue"),
            # "My queue": the open cases of one organ, newest first, read straight off the index.
            models.Index(
                fields=["acting_organ", "-updated_at"],
                condition=Q(state__in=sorted(NON_TERMINAL)),
                name="case_open_queue",
            ),
            models.Index(fields=["organ", "updated_at"], name="case_recent"),
            # The statistics (analytics.facts) and the early-warning window read cases by the day received or
            # accepted: without these, each day range scanned the whole case table (bench/analytics.md, 1M).
            models.Index(fields=["received_at"], name="case_received"),
            models.Index(fields=["accepted_at"], name="case_accepted"),
            models.Index(fields=["matter", "state"], name="case_matter"),
        ]

    def __str__(self) -> str:
        return f"{self.petition.number}@{self.organ}"


class ClockStatus(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "中止计时"
    MET = "met", "已完成"
    LAPSED = "lapsed", "期间届满未行使"  # a petitioner's window that passed unused
    CANCELLED = "cancelled", "不再需要"
    EXTENDED = "extended", "已延期"


class Clock(models.Model):
    """One statutory period on one case, materialised from the rules package."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="责任机关")
    rule = models.CharField("期限规则", max_length=30)
    party = models.CharField(max_length=12)  # organ | petitioner (from the rule)
    start = models.DateField("起算日")
    days = models.PositiveIntegerField()
    due = models.DateField("期满日")
    legal_last_day = models.DateField("法定最后一日")
    provisional = models.BooleanField("临时结果", default=False)
    basis = models.TextField("依据")
    pauses = models.JSONField(default=list)  # [[from, to], ...], both ends inclusive
    paused_since = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ClockStatus.choices, default=ClockStatus.RUNNING)
    overdue = models.BooleanField("超期", default=False)
    started_event = models.ForeignKey("audit.Event", on_delete=models.PROTECT, related_name="+")
    stopped_event = models.ForeignKey("audit.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stopped_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        indexes = [
            models.Index(fields=["organ", "status", "due"], name="clock_due"),
            models.Index(fields=["organ", "status", "legal_last_day"], name="clock_overdue"),
            models.Index(fields=["status", "legal_last_day"], name="clock_scan"),
            models.Index(fields=["status", "due"], name="clock_remind"),
            # The statistics read settled periods by their legal last day and met ones by the day they stopped.
            models.Index(fields=["legal_last_day"], name="clock_last_day"),
            models.Index(fields=["stopped_on"], name="clock_stopped_on"),
            # The scan walks running clocks in id order, a chunk at a time: without this partial index
            # PostgreSQL filtered the whole clock history on every chunk (bench/README.md, finding 1).
            models.Index(fields=["id", "legal_last_day"], condition=Q(status="running"), name="clock_running"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.start}→{self.due}"

    @property
    def title(self) -> str:
        from xinfang.rules import default_rulebook

        rule = default_rulebook().rules.get(self.rule)
        return f"{rule.title}（{rule.code}）" if rule else self.rule

    @property
    def late(self) -> bool:
        """Met, but after the legal last day."""
        return self.status == ClockStatus.MET and self.stopped_on is not None and self.stopped_on > self.legal_last_day


class Reminder(models.Model):
    """A reminder before a clock's due date, queued exactly once per clock and offset."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    remind_on = models.DateField()
    queued_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "days_before"], name="one_reminder_per_point")]

    def __str__(self) -> str:
        return f"{self.clock} -{self.days_before}d"
