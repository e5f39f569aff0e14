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


def test_fixed_url_is_the_reversed_url_under_each_script_prefix() -> None:
    from django.urls import reverse, set_script_prefix

    from openhours.core.templatetags.openhours import fixed_url

    assert fixed_url("about") == reverse("about") == "/about/"
    try:
        set_script_prefix("/openhours/")
        assert fixed_url("about") == "/openhours/about/"
    finally:
        set_script_prefix("/")
    assert fixed_url("about") == "/about/"
