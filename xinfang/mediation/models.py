"""访调对接 and lawyers on duty: mediation bodies and their mediators, a case's referral to mediation with the
parties' consent (《信访工作条例》第三十三条), its sessions and its outcome; the rota of lawyers on duty, their
consultations and their written opinions on review and re-review cases.

The agreement itself is a document of the documents app (调解协议书 / 和解协议书): issuing it settles the case.
"""

from __future__ import annotations

from django.db import models

from xinfang.documents.models import Document, Status
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff


class BodyKind(models.TextChoices):
    PEOPLES = "peoples", "人民调解委员会"
    INDUSTRY = "industry", "行业性专业性调解组织"
    LAWYER = "lawyer", "律师调解室"


class MediationBody(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=12, choices=BodyKind.choices)
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="对接机关")
    address = models.CharField("地址", max_length=200, blank=True)
    telephone = models.CharField("电话", max_length=40, blank=True)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "调解组织"
        ordering = ("organ__path", "name")

    def __str__(self) -> str:
        return self.name


class Mediator(models.Model):
    body = models.ForeignKey(MediationBody, on_delete=models.PROTECT, related_name="mediators", verbose_name="调解组织")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("身份", max_length=60, blank=True, help_text="如：专职人民调解员、律师")
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "调解员"
        ordering = ("body", "name")

    def __str__(self) -> str:
        return f"{self.name}（{self.body.name}）"


class Mode(models.TextChoices):
    MEDIATION = "mediation", "调解"
    SETTLEMENT = "settlement", "和解"


AGREEMENT_KIND = {Mode.MEDIATION: "mediation_agreement", Mode.SETTLEMENT: "settlement_agreement"}


class Outcome(models.TextChoices):
    PENDING = "pending", "调解中"
    SETTLED = "settled", "达成协议"
    FAILED = "failed", "调解未成"


class Referral(models.Model):
    """A case sent to mediation (访调对接) with the parties' consent; at most one open at a time per case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mediation_referrals")
    mode = models.CharField("方式", max_length=12, choices=Mode.choices, default=Mode.MEDIATION)
    body = models.ForeignKey(
        MediationBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name="调解组织",
    )
    mediator = models.ForeignKey(
        Mediator, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="调解员"
    )
    other_party = models.CharField("对方当事人", max_length=200)
    consent = models.TextField("当事人同意的情况")
    consent_on = models.DateField("同意日期")
    referred_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField("移交时间")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    agreement = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.TextField("未成原因", blank=True)
    confirmed_on = models.DateField("司法确认日期", null=True, blank=True)
    confirmed_by_court = models.CharField("确认法院", max_length=100, blank=True)
    confirmation_number = models.CharField("司法确认裁定书文号", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "访调对接"
        ordering = ("-referred_at",)

    def __str__(self) -> str:
        return f"{self.case.petition.number} {self.get_mode_display()}"

    @property
    def settled(self) -> bool:
        """Settled once its agreement is issued (issuing it performs `settle`)."""
        return self.agreement is not None and self.agreement.status in (Status.ISSUED, Status.SERVED)

    @property
    def status_label(self) -> str:
        return Outcome.SETTLED.label if self.settled else self.get_outcome_display()


class Session(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    place = models.CharField("地点", max_length=200)
    attendees = models.TextField("参加人员")
    notes = models.TextField("调解情况")
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "调解记录"
        ordering = ("held_on", "pk")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


# --- lawyers on duty (律师值班) and their written opinions (复查复核律师工作室) ----------------------------


class LawyerDuty(models.Model):
    """One lawyer's turn on the rota of an organ's reception: firm, dates, place."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="值班机关")
    lawyer = models.CharField("律师", max_length=50)
    firm = models.CharField("律师事务所", max_length=100)
    place = models.CharField("值班地点", max_length=200)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = verbose_name_plural = "律师值班"
        ordering = ("-starts_on", "lawyer")

    def __str__(self) -> str:
        return f"{self.lawyer}（{self.firm}）{self.starts_on}至{self.ends_on}"


class LegalChannel(models.TextChoices):
    LITIGATION = "litigation", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    RECONSIDERATION = "reconsideration", "行政复议"
    MEDIATION = "mediation", "调解"
    LEGAL_AID = "legal_aid", "法律援助"
    PETITION = "petition", "信访"
    NONE = "none", "无需其他途径（已释法明理）"


class Consultation(models.Model):
    duty = models.ForeignKey(
        LawyerDuty, on_delete=models.PROTECT, related_name="consultations", verbose_name="值班律师"
    )
    at = models.DateTimeField("咨询时间")
    petitioner = models.CharField("来访人", max_length=100)
    headcount = models.PositiveIntegerField("人数", default=1)
    question = models.TextField("咨询问题")
    advice = models.TextField("律师意见")
    channel = models.CharField("引导的法定途径", max_length=20, choices=LegalChannel.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lawyer_consultations",
        verbose_name="关联案件",
    )
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "律师咨询"
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.duty.lawyer}"


class LawyerOpinion(models.Model):
    """A lawyer's written opinion on a review or re-review case (复查复核律师工作室)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lawyer_opinions")
    duty = models.ForeignKey(LawyerDuty, on_delete=models.PROTECT, related_name="opinions", verbose_name="律师")
    given_on = models.DateField("出具日期")
    opinion = models.TextField("法律意见")
    recorded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "律师法律意见"
        ordering = ("given_on", "pk")

    def __str__(self) -> str:
        return f"{self.duty.lawyer} {self.given_on}"
