from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openhours.accounts"
    verbose_name = "Accounts"
