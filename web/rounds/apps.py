from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "web.rounds"
    verbose_name = "考核轮次"
    default_auto_field = "django.db.models.BigAutoField"
