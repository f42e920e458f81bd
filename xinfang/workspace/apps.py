from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "xinfang.workspace"
    verbose_name = "工作台"
    default_auto_field = "django.db.models.BigAutoField"
