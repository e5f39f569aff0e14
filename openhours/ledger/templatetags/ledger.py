"""Credits at the edge: minutes as hours and minutes (thin wrappers over
``openhours.core.minutes``), and references as links.

``{% load ledger %}`` then ``{{ entry.amount|credits_signed }}`` or
``{% reference_link entry.transfer.reference %}``.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from openhours.core.minutes import minutes_in_words, minutes_short

from ..models import TransferKind

register = template.Library()

REFERENCE_LABELS = {"exchange": "Exchange", "session": "Group session"}


@register.filter
def credits(minutes: int | None) -> str:
    """750 -> "12 h 30 min"."""
    return "" if minutes is None else minutes_short(int(minutes))


@register.filter
def credits_signed(minutes: int | None) -> str:
    """90 -> "+1 h 30 min", -30 -> "-30 min" (with a real minus sign)."""
    return "" if minutes is None else minutes_short(int(minutes), signed=True)


@register.filter
def credits_negated(minutes: int | None) -> str:
    """What a reversal posts for a leg: 90 -> "-1 h 30 min"."""
    return "" if minutes is None else minutes_short(-int(minutes), signed=True)


@register.filter
def audit_verb(verb: str) -> str:
    """ "ledger.donation" -> "Donation"; anything else as it is."""
    kind = verb.removeprefix("ledger.")
    return str(TransferKind(kind).label) if kind in TransferKind.values else verb


@register.filter
def credits_in_words(minutes: int | None) -> str:
    """90 -> "1 hour 30 minutes", for sentences and screen-reader text."""
    return "" if minutes is None else minutes_in_words(int(minutes))


def reference_url(reference: str) -> str | None:
    """The page a reference such as "exchange:42" points at, or None.

    The prefix is looked up in ``OPENHOURS_LEDGER_REFERENCE_URLS`` (prefix -> URL name
    taking one integer), so the ledger links to other apps without importing them.
    """
    prefix, _, number = reference.partition(":")
    url_name = settings.OPENHOURS_LEDGER_REFERENCE_URLS.get(prefix)
    if not url_name or not number.isdigit():
        return None
    try:
        return reverse(url_name, args=[int(number)])
    except NoReverseMatch:
        return None


def reference_label(reference: str) -> str:
    """ "exchange:42" -> "Exchange 42"; anything unknown is shown as it is."""
    prefix, _, number = reference.partition(":")
    label = REFERENCE_LABELS.get(prefix)
    return f"{label} {number}" if label and number.isdigit() else reference


@register.simple_tag
def reference_link(reference: str) -> SafeString:
    """A link to what the transfer belongs to, or its label as text when there's no page."""
    if not reference:
        return SafeString("")
    url = reference_url(reference)
    label = reference_label(reference)
    if url is None:
        return format_html("{}", label)
    return format_html('<a href="{}">{}</a>', url, label)
