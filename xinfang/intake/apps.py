from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "xinfang.intake"
    verbose_name = "登记"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xinfang.audit.verify import COVERED

        from .digest import digest_by_id

        COVERED["petition"] = digest_by_id
