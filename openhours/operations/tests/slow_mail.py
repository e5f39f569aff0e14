"""A mail backend for the crash tests: waits like a slow mail server, then writes one line
per message delivered (recipient and subject) to a file the test reads."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            time.sleep(settings.OPENHOURS_TEST_MAIL_SECONDS)
            with open(settings.OPENHOURS_TEST_MAIL_LOG, "a", encoding="utf-8") as log:
                log.write(f"{','.join(message.to)}\t{message.subject}\n")
                log.flush()
                os.fsync(log.fileno())
        return len(email_messages)


def delivered(path: Any) -> list[tuple[str, str]]:
    """The (recipient, subject) of every message the backend delivered so far."""
    try:
        with open(path, encoding="utf-8") as log:
            return [tuple(line.rstrip("\n").split("\t", 1)) for line in log]  # type: ignore[misc]
    except FileNotFoundError:
        return []
