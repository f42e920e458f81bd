"""Items received from other systems (12345 热线、网信、民生诉求), waiting for a triage officer to verify them.

An import source is one system of one organ, with its saved column mapping. A batch is one uploaded file, run in
the background in chunks: each chunk's items, row notes and progress counter are written in one transaction, so a
crash loses at most the chunk in flight and a resumed run starts where the last committed chunk ended. The
source's own id (``external_id``) is unique per source, so no row is ever imported twice.
"""

from __future__ import annotations

from django.db import models

from xinfang.crypto.fields import EncryptedCharField
from xinfang.intake.models import Channel, Petition
from xinfang.org.models import Organ, Staff, region_code_validator


class SourceKind(models.TextChoices):
    HOTLINE_12345 = "hotline_12345", "12345政务服务便民热线"
    CYBERSPACE = "cyberspace", "网信（网上舆情、网民留言）"
    LIVELIHOOD = "livelihood", "民生诉求平台"
    PARTNER_API = "partner_api", "合作系统接口（Open311）"
    OTHER = "other", "其他系统"


class ImportSource(models.Model):
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="所属机关")
    name = models.CharField("来源名称", max_length=100)
    kind = models.CharField("来源类型", max_length=20, choices=SourceKind.choices)
    channel = models.CharField("登记为信访件时的渠道", max_length=10, choices=Channel.choices, default=Channel.OTHER)
    default_region_code = models.CharField(
        "默认问题发生地",
        max_length=6,
        blank=True,
        validators=[region_code_validator],
        help_text="文件中没有「问题发生地」列或该列为空时使用",
    )
    # Our field name -> the column header in the source's export.
    mapping = models.JSONField("列对应关系", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "导入来源"
        verbose_name_plural = "导入来源"
        constraints = [models.UniqueConstraint(fields=["organ", "name"], name="import_source_name")]

    def __str__(self) -> str:
        return self.name


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传，待试运行"
    QUEUED = "queued", "排队等待导入"
    RUNNING = "running", "正在导入"
    DONE = "done", "导入完成"
    FAILED = "failed", "导入中断"


class ImportBatch(models.Model):
    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="batches", verbose_name="来源")
    file_name = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容")
    sm3 = models.CharField("SM3 摘要", max_length=64)
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间")
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.UPLOADED)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)  # the resume point
    created_count = models.PositiveIntegerField("新建", default=0)
    duplicate_count = models.PositiveIntegerField("重复", default=0)
    refused_count = models.PositiveIntegerField("有误未导入", default=0)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    error = models.TextField("中断原因", blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"{self.source}：{self.file_name}"

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else self.processed_rows * 100 // self.total_rows


class ItemStatus(models.TextChoices):
    PENDING = "pending", "待核实"
    VERIFIED = "verified", "已核实登记为信访件"
    REFUSED = "refused", "不予转为信访件"


class ImportItem(models.Model):
    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="items", verbose_name="来源")
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name="批次"
    )
    row_number = models.PositiveIntegerField("行号", null=True, blank=True)
    external_id = models.CharField("来源编号", max_length=100)
    # Our field name -> value as text (see mapping.FIELDS), except the fields kept encrypted below as on Petition.
    # All of it is shown only to the source's organ.
    data = models.JSONField("内容")
    id_number = EncryptedCharField("证件号码", max_length=30, blank=True)
    address = EncryptedCharField("住址", max_length=200, blank=True)
    contact = EncryptedCharField("联系电话", max_length=50, blank=True)
    imported_at = models.DateTimeField("导入时间")
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    decided_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="核实人"
    )
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    refusal_reason = models.TextField("不予转为信访件的理由", blank=True)
    petition = models.OneToOneField(
        Petition, on_delete=models.PROTECT, null=True, blank=True, related_name="import_item", verbose_name="信访件"
    )

    class Meta:
        verbose_name = "导入事项"
        verbose_name_plural = "导入事项"
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="import_item_external_id")]
        indexes = [models.Index(fields=["source", "status", "imported_at"], name="import_item_queue")]

    def __str__(self) -> str:
        return f"{self.source}#{self.external_id}"

    @property
    def fields(self) -> dict[str, str]:
        """Every field of the item, the encrypted ones included."""
        return {**self.data, **{name: getattr(self, name) for name in ENCRYPTED}}


ENCRYPTED = ("id_number", "address", "contact")


def split_encrypted(data: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(plain fields, encrypted fields) of an item's data."""
    plain = {k: v for k, v in data.items() if k not in ENCRYPTED}
    return plain, {k: data.get(k, "") for k in ENCRYPTED}


class NoteKind(models.TextChoices):
    DUPLICATE = "duplicate", "重复，未导入"
    REFUSED = "refused", "有误，未导入"


class RowNote(models.Model):
    """A row of a batch that created nothing, and why (the field and the reason, in Chinese)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="notes", verbose_name="批次")
    row_number = models.PositiveIntegerField("行号")
    kind = models.CharField("结果", max_length=10, choices=NoteKind.choices)
    field = models.CharField("字段", max_length=30, blank=True)
    message = models.TextField("说明")

    class Meta:
        verbose_name = "未导入的行"
        verbose_name_plural = "未导入的行"
        ordering = ["batch", "row_number"]

    def __str__(self) -> str:
        return f"第{self.row_number}行：{self.message}"
