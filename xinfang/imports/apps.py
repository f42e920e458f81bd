from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "xinfang.imports"
    verbose_name = "外部渠道导入"
    default_auto_field = "django.db.models.BigAutoField"
