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


class OrganSystem(models.TextChoices):
    """The system an organ belongs to: review, re-review and oversight run inside a system (Arts. 35, 36)."""

    PARTY = "party", "党委"
    CONGRESS = "congress", "人大"
    GOVERNMENT = "government", "政府"
    CPPCC = "cppcc", "政协"
    DISCIPLINE = "discipline", "纪检监察"
    COURT = "court", "法院"
    PROCURATORATE = "procuratorate", "检察院"


# The 信访部门 of the 党委和政府 oversee the departments of their own government and party committee.
GOVERNMENT_SYSTEMS = frozenset({OrganSystem.PARTY, OrganSystem.GOVERNMENT})
SYSTEM_OF_KIND = {
    "court": OrganSystem.COURT,
    "procuratorate": OrganSystem.PROCURATORATE,
    "discipline": OrganSystem.DISCIPLINE,
    "peoples_congress": OrganSystem.CONGRESS,
}

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
    system = models.CharField("所属系统", max_length=15, choices=OrganSystem.choices, blank=True)
    system_superior = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="system_subordinates",
        verbose_name="本系统上一级机关",
        help_text="复查、复核机关：本系统的上一级机关（《信访工作条例》第三十五条、第三十六条）。留空则自动确定。",
    )
    # Materialised path along the system superiors: oversight inside a system is one prefix query.
    system_path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    code = models.CharField(
        "机关代字",
        max_length=12,
        blank=True,
        help_text="发文字号中的机关代字，如“东住建”（GB/T 9704-2012 第7.2.4条）；留空则用机关名称。各机关不得相同。",
    )
    # The published channels of Art. 18(1).
    address = models.CharField("通信地址", max_length=200, blank=True)
    telephone = models.CharField("投诉电话", max_length=50, blank=True)
    hours = models.CharField("接待时间和地点", max_length=200, blank=True)
    web = models.CharField("网上信访渠道", max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "机关、单位"
        verbose_name_plural = "机关、单位"
        constraints = [
            # Two organs with one code would issue documents with one number (GB/T 9704-2012 7.2.4).
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="organ_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.system:
            self.system = SYSTEM_OF_KIND.get(self.kind, OrganSystem.GOVERNMENT)
        if self.system_superior_id is None:
            self.system_superior = self.derive_system_superior()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.superior.path if self.superior else '/'}{self.pk}/"
        self._rewrite("path", path)
        system_path = f"{self.system_superior.system_path if self.system_superior else '/'}{self.pk}/"
        self._rewrite("system_path", system_path)

    def _rewrite(self, field: str, value: str) -> None:
        old = getattr(self, field)
        if value == old:
            return
        Organ.objects.filter(pk=self.pk).update(**{field: value})
        setattr(self, field, value)
        if old:  # moved: rewrite the subtree's paths
            for child in Organ.objects.filter(**{f"{field}__startswith": old}).exclude(pk=self.pk):
                Organ.objects.filter(pk=child.pk).update(**{field: value + getattr(child, field)[len(old) :]})

    def derive_system_superior(self) -> Organ | None:
        """The superior inside the organ's system: the government tree, or the same kind one level up."""
        if self.system in GOVERNMENT_SYSTEMS:
            return self.superior
        ranks = list(Level.values)
        rank = ranks.index(self.level) if self.level in ranks else 0
        for level in reversed(ranks[:rank]):
            for candidate in Organ.objects.filter(kind=self.kind, level=level).exclude(pk=self.pk):
                if self.region_code.startswith(region_prefix(candidate.region_code)):
                    return candidate
        return None

    @property
    def document_code(self) -> str:
        """The organ's part of a document number (发文机关代字): its code, or its full name."""
        return self.code or self.name

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
        """Content oversight: inside the organ's own system (a bureau: its government's departments)."""
        if other.pk == self.pk:
            return True
        if self.system in GOVERNMENT_SYSTEMS:
            return other.system in GOVERNMENT_SYSTEMS and other.path.startswith(self.scope_path)
        return other.system_path.startswith(self.system_path)

    def in_tree_of(self, other: Organ) -> bool:
        """True if ``other``'s tree (a bureau: its government's) holds this organ, whatever its system."""
        return self.path.startswith(other.scope_path)

    def is_within_system(self, other: Organ) -> bool:
        """True if this organ is ``other`` or one of its subordinates in ``other``'s system."""
        return self.system_path.startswith(other.system_path)

    def review_superior(self) -> Organ | None:
        """The superior inside the organ's system: the review organ of its opinions (Arts. 35, 36(1))."""
        return self.system_superior

    def is_within(self, other: Organ) -> bool:
        """True if this organ is ``other`` or below it."""
        return self.path.startswith(other.path)

    def ancestors(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def system_ancestors(self) -> list[int]:
        """This organ and its superiors inside its system, by id."""
        return [int(part) for part in self.system_path.strip("/").split("/") if part]


def region_prefix(code: str) -> str:
    """The significant digits of a division code: 990100 -> 9901, 330000 -> 33."""
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


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
