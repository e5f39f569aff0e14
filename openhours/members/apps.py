from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "openhours.members"
    verbose_name = "Members"
