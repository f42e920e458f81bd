from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xinfang.org"
    verbose_name = "机关与工作人员"
    default_auto_field = "django.db.models.BigAutoField"
