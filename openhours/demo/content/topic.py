"""The shape of a post topic."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    skills: tuple[str, ...]
    minutes: tuple[int, ...]
    request_titles: tuple[str, ...]
    request_openings: tuple[str, ...]
    request_asks: tuple[str, ...]
    offer_titles: tuple[str, ...]
    offer_bodies: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    written: bool = False  # suits help by email or documents
    # Settings whose members would ask for this; empty means anyone might.
    asked_in: tuple[str, ...] = ()
