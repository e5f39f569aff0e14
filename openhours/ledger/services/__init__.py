"""Writes to the ledger.

``post_transfer`` (posting.py) is the only code that moves credits; what a transfer must
satisfy first (balanced legs, the balance limits) is rules.py. The operations
(operations.py: joining grants, donations, coordinator grants, top-ups and adjustments,
reversals, exchange and group-session payments) are thin wrappers that check who may do
it, build the legs and call it.
"""

from .operations import (
    coordinator_adjustment,
    coordinator_grant,
    donate,
    grant_joining_credit,
    pay_for_exchange,
    pay_for_group_session,
    reverse_transfer,
    top_up_pool,
)
from .posting import ALREADY_REVERSED, KEY_REUSED, post_transfer
from .rules import Leg, LimitExceeded

__all__ = [
    "ALREADY_REVERSED",
    "KEY_REUSED",
    "Leg",
    "LimitExceeded",
    "coordinator_adjustment",
    "coordinator_grant",
    "donate",
    "grant_joining_credit",
    "pay_for_exchange",
    "pay_for_group_session",
    "post_transfer",
    "reverse_transfer",
    "top_up_pool",
]
