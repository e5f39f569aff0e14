from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from openhours.core.templatetags.openhours import ago


def test_ago_says_just_now_for_the_first_minute() -> None:
    now = timezone.now()
    assert ago(now - timedelta(seconds=20)) == "just now"
    assert ago(now - timedelta(minutes=5)) == "5\xa0minutes ago"
    assert ago(now - timedelta(days=2, hours=3)) == "2\xa0days, 3\xa0hours ago"
    assert ago(None) == ""
