from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "web.submissions"
    verbose_name = "填报与自查"
    default_auto_field = "django.db.models.BigAutoField"
