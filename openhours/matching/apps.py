from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "openhours.matching"
    label = "matching"
    verbose_name = "Matching"
