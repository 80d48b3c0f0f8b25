from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "web.findings"
    verbose_name = "评分记录"
    default_auto_field = "django.db.models.BigAutoField"
