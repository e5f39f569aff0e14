"""Exchange pages: thin over ``services`` (writes) and ``selectors`` (reads).

Every view that touches an exchange obtains it with ``selectors.get_exchange_for_member``,
so anyone who may not see it gets a 404. ``pages`` lists and shows exchanges, ``actions``
are what members do on them, ``coordinators`` what coordinators do; every form among them
goes through ``_submit.submit``.
"""

from .actions import (
    accept,
    accept_correction,
    cancel,
    confirm,
    correct,
    decline,
    deliver,
    dispute,
    leave_feedback,
    leave_thanks,
    post_message,
    reject_correction,
    repeat,
    respond,
    start,
)
from .coordinators import disputes, feedback_list, record_offline, resolve
from .pages import exchange_detail, exchange_list

__all__ = [
    "accept",
    "accept_correction",
    "cancel",
    "confirm",
    "correct",
    "decline",
    "deliver",
    "dispute",
    "disputes",
    "exchange_detail",
    "exchange_list",
    "feedback_list",
    "leave_feedback",
    "leave_thanks",
    "post_message",
    "record_offline",
    "reject_correction",
    "repeat",
    "resolve",
    "respond",
    "start",
]
