from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "web.appeals"
    verbose_name = "申诉复核"
    default_auto_field = "django.db.models.BigAutoField"
