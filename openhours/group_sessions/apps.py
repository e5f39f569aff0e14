from django.apps import AppConfig


class GroupSessionsConfig(AppConfig):
    name = "openhours.group_sessions"
    label = "group_sessions"
    verbose_name = "Group sessions"
