"""Supervision orders (督办) and the three recommendations (建议) of 《信访工作条例》 Art. 40.

An order is opened by a petition bureau's supervisor on cases one organ handles; that organ answers in
writing; the bureau urges (催办) and lists (挂牌督办) an order left unanswered, and closes it. A
recommendation is drafted, issued as a numbered 建议书, served, and answered in writing within the
`recommendation_reply` period counted from service.
"""

from __future__ import annotations

from django.db import models

from xinfang.documents.models import Document
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff


class Reason(models.TextChoices):
    OVERDUE = "overdue", "超期未办结"
    PROCEDURAL = "procedural", "程序性办结、未解决实际问题"
    REPEATED = "repeated", "重复信访"
    WARNING = "warning", "风险预警"
    INSTRUCTION = "instruction", "领导批示"


class OrderState(models.TextChoices):
    OPEN = "open", "待答复"
    REPLIED = "replied", "已答复"
    URGED = "urged", "已催办"
    LISTED = "listed", "挂牌督办"
    CLOSED = "closed", "已办结"


WAITING = (OrderState.OPEN, OrderState.URGED, OrderState.LISTED)  # the handling organ owes an answer


class Order(models.Model):
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="督办机关")
    handling_organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="被督办机关")
    cases = models.ManyToManyField(Case, related_name="+", verbose_name="督办的案件")
    reason = models.CharField("督办事由", max_length=15, choices=Reason.choices)
    requirement = models.TextField("督办要求")
    deadline = models.DateField("答复期限")
    state = models.CharField("状态", max_length=10, choices=OrderState.choices, default=OrderState.OPEN)
    urged = models.PositiveSmallIntegerField("催办次数", default=0)
    overdue_since = models.DateField("逾期未答复（自）", null=True, blank=True)
    letter = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="督办人")
    opened_at = models.DateTimeField("督办时间")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ("deadline", "pk")

    def __str__(self) -> str:
        return f"督办〔{self.opened_at:%Y}〕{self.pk}号" if self.pk and self.opened_at else "督办单"

    @property
    def waiting(self) -> bool:
        return self.state in WAITING


class Reply(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField("答复内容")
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="答复人")
    at = models.DateTimeField("答复时间")

    class Meta:
        verbose_name = "督办答复"
        verbose_name_plural = "督办答复"
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.order}的答复"


class Kind(models.TextChoices):
    IMPROVE = "improve", "改进工作的建议"
    POLICY = "policy", "完善政策的建议"
    ACCOUNTABILITY = "accountability", "追究责任的建议"


class RecState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"
    SERVED = "served", "已送达、待反馈"
    ANSWERED = "answered", "已书面反馈"


class Recommendation(models.Model):
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="提出建议的机关")
    addressee = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="主送机关")
    kind = models.CharField("建议类别", max_length=15, choices=Kind.choices)
    cases = models.ManyToManyField(Case, related_name="+", verbose_name="相关案件")
    problem = models.TextField("发现的问题")
    suggestion = models.TextField("建议内容")
    state = models.CharField("状态", max_length=10, choices=RecState.choices, default=RecState.DRAFT)
    letter = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    served_on = models.DateField("送达日期", null=True, blank=True)
    feedback_due = models.DateField("反馈期限", null=True, blank=True)
    late_since = models.DateField("逾期未反馈（自）", null=True, blank=True)
    adopted = models.BooleanField("是否采纳", null=True, blank=True)
    feedback = models.TextField("书面反馈", blank=True)
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)
    drafted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="起草人")
    created_at = models.DateTimeField("起草时间")

    class Meta:
        verbose_name = "三项建议"
        verbose_name_plural = "三项建议"
        ordering = ("-created_at", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.addressee}）"

    @property
    def confidential(self) -> bool:
        return self.kind == Kind.ACCOUNTABILITY


class Verdict(models.TextChoices):
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    NA = "na", "不适用"


class Review(models.Model):
    """One case's quality review (评查) against the checklist in `rules/data/checklists/`."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="评查机关")
    reviewed_organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="被评查机关")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    batch = models.CharField("评查批次", max_length=60)
    checklist = models.CharField(max_length=40, default="quality_review")
    version = models.PositiveSmallIntegerField("评查表版本")
    reviewer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="评查人")
    created_at = models.DateTimeField("开始时间")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "质量评查"
        verbose_name_plural = "质量评查"
        ordering = ("-created_at", "pk")

    def __str__(self) -> str:
        return f"{self.batch}：{self.case_id}"


class ReviewItem(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    key = models.CharField("评查项目", max_length=40)
    computed = models.CharField("系统预判", max_length=4, choices=Verdict.choices, blank=True)
    result = models.CharField("评查结论", max_length=4, choices=Verdict.choices, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        constraints = [models.UniqueConstraint(fields=("review", "key"), name="supervision_one_item_per_review")]

    def __str__(self) -> str:
        return self.key


class Level(models.TextChoices):
    NATIONAL = "national", "国家信访局交办"
    PROVINCIAL = "provincial", "省交办"
    CITY = "city", "市交办"


class Assignment(models.Model):
    """A case assigned from a higher level (国专件、省专件、市专件) with its report-back deadline and report."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    level = models.CharField("交办层级", max_length=10, choices=Level.choices)
    reference = models.CharField("交办文号", max_length=60)
    requirement = models.TextField("交办要求")
    report_due = models.DateField("报结期限")
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间")
    report = models.TextField("办结报告", blank=True)
    reported_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reported_at = models.DateTimeField("报结时间", null=True, blank=True)
    late_since = models.DateField("逾期未报结（自）", null=True, blank=True)

    class Meta:
        verbose_name = "上级交办"
        verbose_name_plural = "上级交办"
        ordering = ("report_due", "pk")

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.reference}"


class Campaign(models.Model):
    """A backlog campaign (积案化解): a named list of cases with owners, targets and progress."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="组织机关")
    name = models.CharField("专项名称", max_length=100)
    target = models.CharField("化解目标", max_length=200)
    ends_on = models.DateField("截止日期")
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "积案化解专项"
        verbose_name_plural = "积案化解专项"
        ordering = ("-created_at", "pk")

    def __str__(self) -> str:
        return self.name


class CampaignCase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name="案件")
    owner = models.CharField("包案责任人", max_length=60)
    resolved = models.BooleanField("已化解", default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("进展", max_length=500, blank=True)

    class Meta:
        verbose_name = "积案"
        verbose_name_plural = "积案"
        constraints = [models.UniqueConstraint(fields=("campaign", "case"), name="supervision_case_once_per_campaign")]

    def __str__(self) -> str:
        return f"{self.campaign}：{self.case_id}"
