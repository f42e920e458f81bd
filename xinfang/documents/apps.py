from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xinfang.documents"
    verbose_name = "文书与送达"
    default_auto_field = "django.db.models.BigAutoField"
