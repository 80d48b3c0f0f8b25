from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "web.audit"
    verbose_name = "操作记录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from web.audit import recorder

        recorder.connect()
