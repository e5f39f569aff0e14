from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "openhours.demo"
    verbose_name = "Demo data"
