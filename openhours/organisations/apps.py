from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openhours.organisations"
    verbose_name = "Organisations"
