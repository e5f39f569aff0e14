from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openhours.core"
    verbose_name = "Core"
