"""Organs (机关、单位) in their hierarchy, and the staff who work for them with their roles."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

region_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为六位数字")


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"


class OrganKind(models.TextChoices):
    PETITION_BUREAU = "petition_bureau", "信访部门"
    FUNCTIONAL = "functional", "职能部门"
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    PUBLIC_SECURITY = "public_security", "公安机关"
    JUSTICE = "justice", "司法行政机关"
    DISCIPLINE = "discipline", "纪检监察机关"
    PEOPLES_CONGRESS = "peoples_congress", "人大"
    OTHER = "other", "其他"


POLITICAL_LEGAL_KINDS = frozenset(
    {OrganKind.COURT, OrganKind.PROCURATORATE, OrganKind.PUBLIC_SECURITY, OrganKind.JUSTICE}
)


class Role(models.TextChoices):
    REGISTRAR = "registrar", "登记员"
    TRIAGE_OFFICER = "triage_officer", "甄别分办员"
    HANDLER = "handler", "承办人"
    APPROVER = "approver", "审批负责人"
    LEADER = "leader", "领导"
    SUPERVISOR = "supervisor", "督查员"
    ANALYST = "analyst", "分析员"
    ADMINISTRATOR = "administrator", "系统管理员"


class Organ(models.Model):
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类别", max_length=20, choices=OrganKind.choices)
    region_code = models.CharField("行政区划代码", max_length=6, validators=[region_code_validator])
    superior = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="subordinates", verbose_name="上一级机关"
    )
    # Materialised path of ids, "/1/7/42/": a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    # The published channels of Art. 18(1).
    address = models.CharField("通信地址", max_length=200, blank=True)
    telephone = models.CharField("投诉电话", max_length=50, blank=True)
    hours = models.CharField("接待时间和地点", max_length=200, blank=True)
    web = models.CharField("网上信访渠道", max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "机关、单位"
        verbose_name_plural = "机关、单位"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.superior.path if self.superior else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            Organ.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if old:  # moved: rewrite the subtree's paths
                for child in Organ.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Organ.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    @property
    def is_petition_bureau(self) -> bool:
        return self.kind == OrganKind.PETITION_BUREAU

    @property
    def is_political_legal(self) -> bool:
        return self.kind in POLITICAL_LEGAL_KINDS

    @property
    def scope_path(self) -> str:
        """The subtree this organ oversees: a petition bureau oversees its government's organs."""
        if self.is_petition_bureau and self.superior_id is not None:
            return self.superior.path  # type: ignore[union-attr]
        return self.path

    def oversees(self, other: Organ) -> bool:
        return other.path.startswith(self.scope_path)

    def is_within(self, other: Organ) -> bool:
        """True if this organ is ``other`` or below it."""
        return self.path.startswith(other.path)

    def ancestors(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Staff(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="staff", verbose_name="所属机关")
    roles = models.JSONField("角色", default=list)
    display_name = models.CharField("姓名", max_length=50)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.display_name}（{self.organ}）"

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)
