from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "xinfang.lifecycle"
    verbose_name = "办理流程与期限"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the clocks registers their recomputation with the holiday calendar
        # (deadlines.services.CALENDAR_HOOKS): a calendar change moves the open clocks it affects.
        from . import clocks  # noqa: F401
