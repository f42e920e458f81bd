from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xinfang.documents"
    verbose_name = "文书与送达"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xinfang.lifecycle.notices import register_checker

        from .services import notice_on_record

        register_checker(notice_on_record)
