from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "web.dashboard"
    verbose_name = "总览"
    default_auto_field = "django.db.models.BigAutoField"
