"""Every email of ours has one sender and prefix, and is counted, sent or refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail as outbox
from prometheus_client import REGISTRY

from openhours.core import mail


def _count(kind: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value("openhours_emails_total", {"kind": kind, "outcome": outcome})
    return value or 0.0


def test_an_email_goes_out_prefixed_and_is_counted() -> None:
    before = _count("test", "sent")
    mail.send("maya@nhs.net", "Hello", "Body text", kind="test")
    assert [(m.to, m.subject, m.body) for m in outbox.outbox] == [
        (["maya@nhs.net"], "[OpenHours] Hello", "Body text")
    ]
    assert _count("test", "sent") == before + 1


def test_a_refused_email_raises_and_is_counted_as_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(mail, "send_mail", refuse)
    before = _count("test", "failed")
    with pytest.raises(ConnectionRefusedError):
        mail.send("maya@nhs.net", "Hello", "Body", kind="test")
    assert _count("test", "failed") == before + 1
