from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xinfang.audit"
    verbose_name = "事件与审计"
    default_auto_field = "django.db.models.BigAutoField"
