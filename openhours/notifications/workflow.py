"""The steps every workflow service takes, shared by exchanges and group sessions.

A workflow step (agreeing an exchange, signing up for a session, settling it) runs in one
transaction that the calling service opens, and goes:

1. :func:`lock` the row the workflow is about, and read it afresh, before looking at its
   state, so two requests for the same thing run one after the other;
2. check the rule and change the row (the app's own business);
3. :func:`record_event`: write the append-only event, and mark the actor's notifications
   about that page read (whoever acted has answered what it asked of them);
4. :func:`tell` the other people: the in-app notification is written in the transaction,
   so it rolls back with the step, and email goes only after commit (``notify`` defers it
   with ``transaction.on_commit``), so a refused step never emails anyone.

An app binds its row's URL once in a :class:`Page` (``Page(url).record(...)``,
``Page(url).tell(...)``); :func:`record_event`, :func:`tell` and :func:`tell_each` take the
URL each time and do the same.

``group_sessions`` may not import ``exchanges`` (docs/architecture.md), so what both need
lives in the one app below them that every step calls anyway: telling people is
``notifications``' business, and the lock and the event are the few lines around it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from .services import clear_for_url, notify

if TYPE_CHECKING:
    from openhours.accounts.models import User

M = TypeVar("M", bound=models.Model)


def lock(queryset: models.QuerySet[M], pk: Any) -> M:
    """Lock one row and read it afresh, inside the caller's transaction.

    Only the row itself is locked (``of=("self",)``), never the rows ``select_related``
    joins in (the people it names): the ledger locks accounts later in its own fixed order,
    so every workflow's lock order is its own row first, then the ledger's accounts by key,
    and two workflows can't deadlock over a member's row.
    """
    return queryset.select_for_update(of=("self",)).get(pk=pk)


def record_event(event: M, *, actor: User | None, url: str) -> M:
    """Save a new (append-only) event row for this step; clear the actor's notifications
    for ``url``, since acting answers them. ``actor`` is None when the system acted."""
    event.save(force_insert=True)
    if actor is not None:
        clear_for_url(user=actor, url=url)
    return event


def tell_each(
    recipients: Iterable[User],
    *,
    verb: str,
    message: str,
    url: str,
    actor: User | None = None,
    needs_action: bool = False,
) -> None:
    """:func:`tell` several people the same thing, in the order given (for coordinators,
    ``User.objects.coordinators()``'s key order)."""
    for recipient in recipients:
        tell(
            recipient=recipient,
            verb=verb,
            message=message,
            url=url,
            actor=actor,
            needs_action=needs_action,
        )


def tell(
    *,
    recipient: User,
    verb: str,
    message: str,
    url: str,
    actor: User | None = None,
    needs_action: bool = False,
) -> None:
    """Notify someone about a step (never the actor: ``notify`` skips them).

    In-app at once, in the caller's transaction; by email after commit when action is
    needed and the recipient chose email straight away. Pass the full message: ``notify``
    shortens one too long to store, with an ellipsis.
    """
    notify(
        recipient=recipient,
        verb=verb,
        message=message,
        url=url,
        actor=actor,
        needs_action=needs_action,
    )


@dataclass(frozen=True)
class Page:
    """The page one workflow is about (an exchange, a group session), bound once.

    Every step's event answers the actor's notifications for this page, and everyone told
    about a step is sent here, so an app builds one ``Page`` for its row instead of passing
    the same URL to each step.
    """

    url: str

    def record(self, event: M, *, actor: User | None) -> M:
        """:func:`record_event` for this page."""
        return record_event(event, actor=actor, url=self.url)

    def tell(
        self,
        *people: User,
        verb: str,
        message: str,
        actor: User | None = None,
        needs_action: bool = False,
    ) -> None:
        """:func:`tell_each` the people given, in that order, about this page."""
        tell_each(
            people, verb=verb, message=message, url=self.url, actor=actor, needs_action=needs_action
        )
