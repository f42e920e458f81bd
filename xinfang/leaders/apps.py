from django.apps import AppConfig


class LeadersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinfang.leaders"
    verbose_name = "领导包案与联席会议"

    def ready(self) -> None:
        from xinfang.portal import sections

        from . import public

        sections.register("organs", public.schedule_section)
        sections.register("progress", public.appointments_section)
