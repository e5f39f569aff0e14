from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Attendance, GroupSession, SessionEvent


class AttendanceInline(admin.TabularInline[Attendance, GroupSession]):
    model = Attendance
    extra = 0
    raw_id_fields = ["member"]
    readonly_fields = ["status", "signed_up_at", "responded_at", "reason", "charged"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin[GroupSession]):
    """Read mostly: state changes go through the services (the session page's actions)."""

    list_display = ["title", "giver", "status", "starts_at", "needs_attention"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["giver", "offer", "transfer"]
    readonly_fields = [
        "status",
        "delivered_minutes",
        "preparation_minutes",
        "delivered_at",
        "finished_at",
        "transfer",
        "needs_attention",
    ]
    inlines = [AttendanceInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SessionEvent)
class SessionEventAdmin(admin.ModelAdmin[SessionEvent]):
    list_display = ["session", "verb", "actor", "subject", "created_at"]
    list_filter = ["verb"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
