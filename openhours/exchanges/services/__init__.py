"""Writes to exchanges: the only way an exchange is created or changes state.

Every function is keyword-only, runs one transaction, locks the exchange row before it
looks at the state, writes an ``ExchangeEvent`` for every transition, notifies the other
party, and raises ``core.errors.DomainError`` (plain English, with the form field where
one applies) when a rule says no. Time is integer minutes in quarter hours. Which moves
exist, from which states and by whom, is ``exchanges.transitions.TRANSITIONS``: each
service calls ``check_transition(exchange, action, actor)`` under the row lock before it
changes anything, and the steps every workflow shares (lock, event, notify) come from
``notifications.workflow``.

The full path from code, for example in demo data::

    ex = respond_to_post(responder=gil, post=mayas_request)      # proposed (gil gives)
    ex = accept_exchange(exchange=ex, actor=maya)                # accepted
    ex = record_delivery(exchange=ex, actor=gil, minutes=90)     # delivered
    ex = confirm_exchange(exchange=ex, actor=maya)               # confirmed, 90 credits move

Members (workflow.py)::

    respond_to_post(*, responder, post, message="", estimated_minutes=None) -> Exchange
    propose_to_member(*, proposer, other, proposer_gives: bool, title, message="",
                      estimated_minutes=None) -> Exchange
    repeat_exchange(*, exchange, actor, message="") -> Exchange      # from a confirmed one
    accept_exchange(*, exchange, actor) -> Exchange                  # the one who was asked
    decline_exchange(*, exchange, actor, reason="") -> Exchange      # the one who was asked
    cancel_exchange(*, exchange, actor, reason="") -> Exchange       # either, before delivery
    record_delivery(*, exchange, actor, minutes, delivered_on=None, note="") -> Exchange
                                                                     # the giver
    confirm_exchange(*, exchange, actor) -> Exchange                 # the receiver; idempotent
    propose_correction(*, exchange, actor, minutes, reason) -> Exchange   # the receiver
    accept_correction(*, exchange, actor) -> Exchange                # the giver -> confirmed
    reject_correction(*, exchange, actor, reason) -> Exchange        # the giver -> disputed
    dispute_exchange(*, exchange, actor, reason) -> Exchange         # either, after delivery
    auto_confirm_due(*, now=None) -> AutoConfirmRun                  # the system

Coordinators (coordinators.py)::

    resolve_by_confirming(*, exchange, coordinator, minutes, reason) -> Exchange
    resolve_by_cancelling(*, exchange, coordinator, reason) -> Exchange
    record_offline_exchange(*, coordinator, giver, receiver, minutes, delivered_on, title,
                            description="", reason) -> Exchange     # created confirmed

Conversation, thanks and feedback (conversation.py)::

    post_message(*, exchange, author, body) -> ExchangeMessage
    leave_thanks(*, exchange, author, body) -> Thanks                # once, when confirmed
    leave_feedback(*, exchange, author, helped, comment="") -> Feedback   # private

Credits move only through ``ledger.services.pay_for_exchange``, called inside the
transaction that marks the exchange confirmed, with ``reference="exchange:<pk>"`` and
``idempotency_key="exchange:<pk>:confirm"``. If the ledger refuses (``LimitExceeded``),
the exchange stays as it was and the caller sees the ledger's message.
"""

from .conversation import leave_feedback, leave_thanks, post_message
from .coordinators import record_offline_exchange, resolve_by_cancelling, resolve_by_confirming
from .workflow import (
    ALREADY_IN_PROGRESS,
    AutoConfirmRun,
    accept_correction,
    accept_exchange,
    auto_confirm_due,
    cancel_exchange,
    confirm_exchange,
    decline_exchange,
    dispute_exchange,
    propose_correction,
    propose_to_member,
    record_delivery,
    reject_correction,
    repeat_exchange,
    respond_to_post,
)

__all__ = [
    "ALREADY_IN_PROGRESS",
    "AutoConfirmRun",
    "accept_correction",
    "accept_exchange",
    "auto_confirm_due",
    "cancel_exchange",
    "confirm_exchange",
    "decline_exchange",
    "dispute_exchange",
    "leave_feedback",
    "leave_thanks",
    "post_message",
    "propose_correction",
    "propose_to_member",
    "record_delivery",
    "record_offline_exchange",
    "reject_correction",
    "repeat_exchange",
    "resolve_by_cancelling",
    "resolve_by_confirming",
    "respond_to_post",
]
