"""Petitions (信访件) as received, and the matters (信访事项) behind them."""

from __future__ import annotations

from django.db import models

from xinfang.crypto.fields import BlindIndexField, EncryptedCharField
from xinfang.org.models import Organ, Staff, region_code_validator


class Channel(models.TextChoices):
    ONLINE = "online", "网上信访"
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    FAX = "fax", "传真"
    VISIT = "visit", "来访"
    LEADER_RECEPTION = "reception", "领导接访"  # received at a leader's reception day (Art. 18(2))
    OTHER = "other", "其他"


ORAL_CHANNELS = frozenset({Channel.PHONE, Channel.VISIT, Channel.LEADER_RECEPTION})
MAX_REPRESENTATIVES = 5  # Art. 20(3): "代表人数不得超过5人"


class Category(models.TextChoices):
    SUGGESTION = "suggestion", "建议意见类"
    ACCUSATION = "accusation", "检举控告类"
    GRIEVANCE = "grievance", "申诉求决类"


class Matter(models.Model):
    """The request behind one or more petitions; repeat petitions link here."""

    summary = models.CharField("事项摘要", max_length=200)
    category = models.CharField("类别", max_length=12, choices=Category.choices, blank=True)
    region_code = models.CharField("发生地", max_length=6, validators=[region_code_validator])
    created_at = models.DateTimeField("登记时间")
    # Set when a re-review opinion concluded the matter (Art. 36(3)).
    final_at = models.DateTimeField("复核终结时间", null=True, blank=True)

    class Meta:
        verbose_name = "信访事项"
        verbose_name_plural = "信访事项"

    def __str__(self) -> str:
        return self.summary


class PetitionNumber(models.Model):
    """Gap-free petition numbers per year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Petition(models.Model):
    number = models.CharField("信访件编号", max_length=20, unique=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField("收到时间")
    receiving_organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", verbose_name="收件机关")
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    registered_at = models.DateTimeField("登记时间")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="petitions", verbose_name="信访事项")
    is_repeat = models.BooleanField("重复信访", default=False)

    # Art. 19(1): 姓名（名称）、住址和请求、事实、理由; local rules add contact details.
    # ID number, address and phone are stored as SM4 ciphertext (xinfang.crypto); equal values are found
    # through the keyed HMAC-SM3 blind indexes, never by the column itself.
    name = models.CharField("姓名（名称）", max_length=100, blank=True)
    id_number = EncryptedCharField("证件号码", max_length=30, blank=True)
    address = EncryptedCharField("住址", max_length=200, blank=True)
    contact = EncryptedCharField("联系电话", max_length=50, blank=True)
    id_number_index = BlindIndexField("证件号码索引", source="id_number", kind="id_number")
    contact_index = BlindIndexField("联系电话索引", source="contact", kind="phone")
    request = models.TextField("诉求")
    facts = models.TextField("事实", blank=True)
    reasons = models.TextField("理由", blank=True)
    oral = models.BooleanField("口头提出（如实记录）", default=False)
    anonymous = models.BooleanField("匿名", default=False)
    identity_unclear = models.BooleanField("姓名（名称）、住址不清", default=False)
    region_code = models.CharField("问题发生地", max_length=6, validators=[region_code_validator])

    # Collective visit, Art. 20(3).
    collective = models.BooleanField("集体访", default=False)
    headcount = models.PositiveIntegerField("人数", null=True, blank=True)

    # Derived, for full-text search: number and the text of the request (no identity fields, so that
    # a search never reveals who accused whom). Indexed with pg_trgm or SQLite FTS5 (trigram). On SQLite a
    # migration that adds a column to this table rebuilds it and drops the FTS triggers: restore them as
    # `0004_accusation.restore_search_triggers` does.
    search_text = models.TextField(editable=False, default="")

    # Asked at registration: the petition accuses organs or persons (检举、揭发、控告). It is confidential from
    # that first minute (Art. 30(3)); triage may still file it under another category.
    accusation = models.BooleanField("检举、揭发、控告", default=False)
    # For an accusation: the unit accused, to which the matter must never be sent (Art. 30(3)).
    accused_organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="被检举控告单位"
    )

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        indexes = [models.Index(fields=["receiving_organ", "received_at"])]

    def __str__(self) -> str:
        return self.number

    def build_search_text(self) -> str:
        return "\n".join([self.number, self.request, self.facts, self.reasons])

    def body_text(self) -> str:
        """The request, facts and reasons: with the matter's summary as title, the text triage reads."""
        return "\n".join(p for p in (self.request, self.facts, self.reasons) if p)

    @property
    def notice_exempt(self) -> bool:
        """No written notice is owed when the name or address is unclear (Art. 23(2))."""
        return self.anonymous or self.identity_unclear


class AccusedParty(models.Model):
    """An organ or a person accused (with the organ the person works for); never told of the accusation."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="accused")
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="+", verbose_name="被检举控告的单位（或被检举控告人所在单位）"
    )
    person_name = EncryptedCharField("被检举控告人", max_length=50, blank=True)

    class Meta:
        verbose_name = "被检举控告对象"
        verbose_name_plural = "被检举控告对象"

    def __str__(self) -> str:
        return f"{self.person_name}（{self.organ}）" if self.person_name else str(self.organ)


class Representative(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedCharField("证件号码", max_length=30, blank=True)
    contact = EncryptedCharField("联系电话", max_length=50, blank=True)

    class Meta:
        verbose_name = "代表"
        verbose_name_plural = "代表"

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sm3 = models.CharField("SM3 摘要", max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name


class RepeatKey(models.Model):
    """One repeat key of a petition's text (`textmining.repeats.repeat_keys` of the matter's summary and the
    petition's body: its LSH band keys and its place names): two petitions sharing a key are candidates for a
    possible repeat (Arts. 19(3), 36(3)), ordered by the weight of the keys they share (a place weighs more than a
    band; the query knows which of its keys are which, so the table holds the keys alone and is read from its
    primary key index only).
    Written with the petition and rewritten when its text or matter changes, so every web worker finds the
    candidates among all petitions in one indexed query, with nothing to build in memory."""

    pk = models.CompositePrimaryKey("key", "petition")
    key = models.BigIntegerField("检索键")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+", verbose_name="信访件")

    class Meta:
        verbose_name = "重复件检索键"
        verbose_name_plural = "重复件检索键"

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.key}"
