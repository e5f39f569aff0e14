from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "openhours.home"
    verbose_name = "Home page"
