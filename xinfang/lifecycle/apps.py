from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "xinfang.lifecycle"
    verbose_name = "办理流程与期限"
    default_auto_field = "django.db.models.BigAutoField"
