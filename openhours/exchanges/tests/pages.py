"""Helpers for the exchange page tests: an exchange's URL, and a response's HTML."""

from __future__ import annotations

from django.urls import reverse

from openhours.exchanges.models import Exchange


def url(name: str, exchange: Exchange) -> str:
    return reverse(f"exchanges:{name}", args=[exchange.pk])


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]
