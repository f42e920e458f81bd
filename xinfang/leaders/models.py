"""Leaders at work (《信访工作条例》第十八条第二款, 第十三条): leader cases (领导包案) with a plan, progress on a
rhythm and an outcome; published reception days (接访), appointments (约访) and field visits (下访); the joint
conference (联席会议) with agenda, decisions assigned to organs, and the rhythm reports."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from xinfang.intake.models import Petition
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff
from xinfang.warning.models import Alert


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "化解"
    CONCLUDED = "concluded", "案结事了"
    UNRESOLVED = "unresolved", "未化解"


class LeaderCase(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    leader = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="包案领导")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="包案领导所在机关")
    taken_at = models.DateTimeField("包案时间")
    steps = models.TextField("化解方案（步骤）")
    target_date = models.DateField("计划化解日期")
    rhythm_days = models.PositiveIntegerField("进展报告间隔")
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    outcome = models.CharField("化解结果", max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField("结果说明", blank=True)

    class Meta:
        verbose_name = "领导包案"
        verbose_name_plural = "领导包案"
        ordering = ("-taken_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("case", "leader"), condition=models.Q(closed_at__isnull=True), name="leaders_one_open_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.case}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ProgressNote(models.Model):
    leader_case = models.ForeignKey(LeaderCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    at = models.DateTimeField("记录时间")
    text = models.TextField("进展情况")

    class Meta:
        verbose_name = "包案进展"
        verbose_name_plural = "包案进展"
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.author}"


class ReceptionDay(models.Model):
    """A leader's published reception day (领导接访日), Art. 18(1)-(2)."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="机关")
    leader = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="接访领导")
    day = models.DateField("接访日期")
    starts = models.TimeField("开始时间")
    ends = models.TimeField("结束时间")
    place = models.CharField("接访地点", max_length=200)
    topics = models.CharField("接访事项", max_length=200, blank=True)
    published = models.BooleanField("已公布", default=True)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="+", verbose_name="接访登记的信访件")

    class Meta:
        verbose_name = "领导接访日"
        verbose_name_plural = "领导接访日"
        ordering = ("day", "starts", "pk")

    def __str__(self) -> str:
        return f"{self.day} {self.leader}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    ATTENDED = "attended", "已接谈"
    NO_SHOW = "no_show", "未到场"
    RESCHEDULED = "rescheduled", "已改期"


class Appointment(models.Model):
    """约访: staff book the petitioner of a case with a leader for a slot."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    leader = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="约访领导")
    starts_at = models.DateTimeField("约访时间")
    place = models.CharField("地点", max_length=200)
    status = models.CharField(
        "状态", max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    note = models.TextField("说明", blank=True)
    booked_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="预约人")
    booked_at = models.DateTimeField("预约时间")
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name="原预约"
    )

    class Meta:
        verbose_name = "领导约访"
        verbose_name_plural = "领导约访"
        ordering = ("starts_at", "pk")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M} {self.leader}"


class FieldVisit(models.Model):
    """下访: a leader's visit to a place with cases taken along (带案下访)."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="机关")
    leader = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="下访领导")
    day = models.DateField("下访日期")
    place = models.CharField("下访地点", max_length=200)
    attendees = models.TextField("参加人员", blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="+", verbose_name="带案")
    outcome = models.TextField("下访成效", blank=True)
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "领导下访"
        verbose_name_plural = "领导下访"
        ordering = ("-day", "-pk")

    def __str__(self) -> str:
        return f"{self.day} {self.place}"


class ConferenceKind(models.TextChoices):
    PLENARY = "plenary", "全体会议"
    ASSIGNMENT = "assignment", "交办会议"
    DISPATCH = "dispatch", "调度会议"


class Conference(models.Model):
    """A meeting of the joint conference (信访工作联席会议), Arts. 12-13."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="召集机关")
    kind = models.CharField("会议类型", max_length=12, choices=ConferenceKind.choices)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("召开日期")
    members = models.ManyToManyField(Organ, related_name="+", verbose_name="成员单位")
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ("-held_on", "-pk")

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField("议题", max_length=200)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """议定事项: a task assigned to an organ with a deadline (a date the conference sets)."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    text = models.TextField("议定事项")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="落实单位")
    deadline = models.DateField("完成期限")
    done_at = models.DateTimeField("落实时间", null=True, blank=True)
    report = models.TextField("落实情况", blank=True)

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ("deadline", "pk")

    def __str__(self) -> str:
        return self.text[:40]


class ReportKind(models.TextChoices):
    DAILY = "daily", "日报告"
    WEEKLY = "weekly", "周分析"
    MONTHLY = "monthly", "月排查"
    QUARTERLY = "quarterly", "季调度"


class RhythmReport(models.Model):
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="机关")
    kind = models.CharField("类型", max_length=10, choices=ReportKind.choices)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    figures = models.JSONField("数据", default=dict)
    draft = models.TextField("生成的草稿")
    text = models.TextField("报告正文", blank=True)
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    filed_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    filed_at = models.DateTimeField("报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "联席会议工作报告"
        verbose_name_plural = "联席会议工作报告"
        ordering = ("-end", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}—{self.end}"
