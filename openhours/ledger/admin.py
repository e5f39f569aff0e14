"""Read-only admin: the ledger changes only through its services, never by hand.

Coordinators correct mistakes with reversals and adjustments (with a reason), not edits.
"""

from __future__ import annotations

from django.contrib import admin

from openhours.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Account, AuditEvent, Entry, Transfer


class EntryInline(ReadOnlyTabularInline[Entry, Transfer]):
    model = Entry
    fields = ["account", "amount"]
    readonly_fields = ["account", "amount"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin[Account]):
    list_display = ["__str__", "system_code", "balance", "created_at"]
    list_filter = ["system_code"]
    search_fields = ["owner__full_name", "owner__email"]
    list_select_related = ["owner"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin[Transfer]):
    list_display = ["pk", "kind", "reference", "memo", "created_by", "created_at"]
    list_filter = ["kind", "limits_overridden"]
    search_fields = ["reference", "idempotency_key", "memo"]
    list_select_related = ["created_by"]
    inlines = [EntryInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    list_display = ["created_at", "actor", "verb", "target"]
    list_filter = ["verb"]
    search_fields = ["target", "verb"]
    list_select_related = ["actor"]
