"""Written notices: drafted from a case, approved where the kind requires it, numbered, issued, served."""

from __future__ import annotations

from django.db import models

from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ, Staff
from xinfang.rules.documents import default_document_kinds

# Letters of the overseeing petition bureau about a case (条例 Art. 40): the bureau issues them, whatever organ
# handles the case; the supervision app drafts them (not the case page's draft form).
OVERSIGHT_KINDS = ("supervision_letter", "recommendation_letter")
# Served only from the supervision app's page, whose service starts the addressee's feedback period (Art. 40 ¶4,
# `recommendation_reply`); the documents page says where instead of offering its own service form.
SERVED_IN_SUPERVISION = ("recommendation_letter",)
# 追究责任的建议 is confidential to the organs concerned: the documents pages show it only to its issuing organ,
# the supervision app to the addressee.
ACCOUNTABILITY = "追究责任的建议"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已审核"
    ISSUED = "issued", "已印发"
    SERVED = "served", "已送达"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="发文机关")
    kind = models.CharField("文书种类", max_length=40)
    version = models.PositiveSmallIntegerField("模板版本")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField("内容", default=dict)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    serial = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField("发文字号", max_length=60, blank=True)
    drafted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    pdf_sm3 = models.CharField(max_length=64, blank=True)
    docx_sm3 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "kind", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="one_number_per_organ_kind_year",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_title()}（草稿）"

    def get_kind_title(self) -> str:
        found = default_document_kinds().get(self.kind)
        return found.title if found else self.kind


class DocumentCounter(models.Model):
    """The last number issued per organ, kind and year: locked while a number is taken, so none is skipped."""

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organ", "kind", "year"], name="one_counter")]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.kind}/{self.year}: {self.last}"


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", "当面送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（网上信访平台）"
    PUBLIC_NOTICE = "public_notice", "公告送达"
    EXEMPT = "exempt", "免于送达（姓名、住址不清）"


class Service(models.Model):
    """送达: how, when and by whom a document reached its addressee, with proof; or why it could not."""

    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="service")
    method = models.CharField("送达方式", max_length=20, choices=ServiceMethod.choices)
    tracking_number = models.CharField("邮件单号", max_length=50, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    served_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    proof = models.BinaryField("送达回证", null=True, blank=True)
    proof_name = models.CharField(max_length=200, blank=True)
    proof_sm3 = models.CharField(max_length=64, blank=True)
    exempt_reason = models.CharField("免于送达的理由", max_length=200, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"

    def __str__(self) -> str:
        return f"{self.document} {self.get_method_display()}"
