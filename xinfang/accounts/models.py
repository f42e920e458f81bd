"""Accounts: the access log (PIPL: who saw whose personal data, every login and failed login) and the
staff's TOTP second factor."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinfang.lifecycle.models import Case


class AccessKind(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGIN_REFUSED = "login_refused", "登录被锁定拒绝"
    LOGOUT = "logout", "退出"
    UNLOCK = "unlock", "解除锁定"
    TOTP_ENROLLED = "totp_enrolled", "启用动态口令"
    PERSONAL_DATA = "personal_data", "查看信访人个人信息"
    ATTACHMENT = "attachment", "下载附件"
    DOCUMENT = "document", "下载文书"
    EXPORT = "export", "导出"


class AccessLog(models.Model):
    """One line per access. Written only by ``services.record_access``; never edited."""

    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类别", max_length=20, choices=AccessKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用户",
    )
    username = models.CharField("账号", max_length=150, blank=True)
    address = models.CharField("网络地址", max_length=64, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="案件"
    )
    path = models.CharField("访问路径", max_length=300, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "访问日志"
        verbose_name_plural = "访问日志"
        indexes = [
            models.Index(fields=["kind", "username", "at"], name="access_kind_user_at"),
            models.Index(fields=["kind", "address", "at"], name="access_kind_addr_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class TotpDevice(models.Model):
    """RFC 6238 secret of one user; ``last_step`` stops a code from being used twice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device", verbose_name="用户"
    )
    secret = models.CharField("密钥", max_length=64)
    confirmed_at = models.DateTimeField("启用时间")
    last_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"

    def __str__(self) -> str:
        return str(self.user)
