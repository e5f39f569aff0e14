"""Small presentation helpers used across templates."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Integer minutes as friendly hours: 90 -> "1.5 hours", 60 -> "1 hour"."""
    if minutes is None:
        return ""
    value = minutes / 60
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} hour" if value == 1 else f"{text} hours"


@register.simple_tag
def fixed_url(name: str) -> str:
    """``{% url name %}`` for a URL without arguments, reversed once per process.

    The layout's header and footer link to a dozen such URLs on every page; reversing
    them each time was about 0.2 ms of a 0.5 ms layout.
    """
    return _reversed(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=128)
def _reversed(name: str, script_prefix: str, urlconf: str | None) -> str:
    # The prefix and urlconf are part of the key: reverse() reads both from the thread.
    return reverse(name, urlconf=urlconf)


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], page: int) -> str:
    """The current URL's query string with only the page number changed."""
    params: QueryDict = context["request"].GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


@register.filter
def ago(moment: datetime | None) -> str:
    """How long ago, in words: "just now" for under a minute, else "3 hours ago".

    (Django's timesince says "0 minutes" for the first minute.)
    """
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"
