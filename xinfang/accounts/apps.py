from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinfang.accounts"
    verbose_name = "账号与访问日志"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login signals)
        from .admin_login import guard_admin_login

        guard_admin_login()
