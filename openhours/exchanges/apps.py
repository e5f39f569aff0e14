from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "openhours.exchanges"
    verbose_name = "Exchanges"
