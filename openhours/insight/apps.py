from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "openhours.insight"
    label = "insight"
    verbose_name = "System insight"
