from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "xinfang.security"
    verbose_name = "HTTP 安全"
    default_auto_field = "django.db.models.BigAutoField"
