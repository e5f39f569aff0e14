"""Read-only admin: exchanges change state only through exchanges.services.

Conversations, thanks and feedback are not registered: messages are private to the two
members (coordinators read them on the exchange page once it is disputed) and feedback has
its own coordinator page.
"""

from __future__ import annotations

from django.contrib import admin

from openhours.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Exchange, ExchangeEvent


class EventInline(ReadOnlyTabularInline[ExchangeEvent, Exchange]):
    model = ExchangeEvent
    fields = ["created_at", "from_state", "to_state", "actor", "minutes", "note"]
    readonly_fields = ["created_at", "from_state", "to_state", "actor", "minutes", "note"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin[Exchange]):
    list_display = ["pk", "title", "giver", "receiver", "state", "minutes", "updated_at"]
    list_filter = ["state"]
    search_fields = ["title", "giver__full_name", "receiver__full_name"]
    list_select_related = ["giver", "receiver"]
    inlines = [EventInline]
