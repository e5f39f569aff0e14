from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "openhours.notifications"
    verbose_name = "Notifications"
