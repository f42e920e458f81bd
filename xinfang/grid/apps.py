from django.apps import AppConfig


class GridConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xinfang.grid"
    verbose_name = "网格化管理"
