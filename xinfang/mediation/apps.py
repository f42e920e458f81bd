from django.apps import AppConfig


class MediationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinfang.mediation"
    verbose_name = "调解和律师值班"
