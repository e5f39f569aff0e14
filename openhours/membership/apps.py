from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "openhours.membership"
    verbose_name = "Membership"
