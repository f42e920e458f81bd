from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "xinfang.analytics"
    verbose_name = "统计分析"
    default_auto_field = "django.db.models.BigAutoField"
