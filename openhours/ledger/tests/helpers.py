"""Small helpers shared by the ledger tests."""

from __future__ import annotations

import uuid


def new_key() -> str:
    """A fresh idempotency key: every test posting is a new request unless it says otherwise."""
    return f"test:{uuid.uuid4().hex}"
