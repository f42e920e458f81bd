from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "xinfang.open311"
    verbose_name = "Open311 合作接口"
    default_auto_field = "django.db.models.BigAutoField"
