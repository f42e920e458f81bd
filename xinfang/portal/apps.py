from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xinfang.portal"
    verbose_name = "公众门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the clocks registers their recomputation with the holiday calendar
        # (deadlines.services.CALENDAR_HOOKS), so a calendar change made by the admin or the import_holidays
        # command moves the open clocks. It belongs in LifecycleConfig.ready(), which this engineer may not
        # edit; the registration is idempotent, so moving it there later changes nothing.
        from xinfang.lifecycle import clocks  # noqa: F401
