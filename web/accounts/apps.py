from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "web.accounts"
    verbose_name = "账号"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from web.accounts import throttle

        throttle.connect()
