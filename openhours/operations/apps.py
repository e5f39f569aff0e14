from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "openhours.operations"
    verbose_name = "Operations"
