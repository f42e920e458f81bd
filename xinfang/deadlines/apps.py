from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "xinfang.deadlines"
    verbose_name = "期限与节假日"
    default_auto_field = "django.db.models.BigAutoField"
