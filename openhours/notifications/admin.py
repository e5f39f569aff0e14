from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """For looking into a member's report ("I never heard about it"), not for editing:
    notifications are created only by ``notifications.services.notify``."""

    list_display = ["recipient", "verb", "message", "needs_action", "created_at", "read_at"]
    list_filter = ["verb", "needs_action"]
    search_fields = ["recipient__email", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email", "updated_at"]
    list_filter = ["email"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["updated_at"]
