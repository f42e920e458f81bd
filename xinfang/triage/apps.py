from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "xinfang.triage"
    verbose_name = "分类与重复件建议"
    default_auto_field = "django.db.models.BigAutoField"
