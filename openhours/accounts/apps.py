from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openhours.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the sign-in receiver)
