"""notify, reading and email preferences, through the real services."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.core import mail as our_mail
from openhours.core.errors import DomainError
from openhours.notifications import selectors, services
from openhours.notifications.models import EmailPreference, Notification

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _offer(recipient: User, actor: User | None, **extra: Any) -> Notification | None:
    return services.notify(
        recipient=recipient,
        actor=actor,
        verb="exchange.proposed",
        message="Otto Outsider offered to help with 'QI coaching'",
        url="/exchanges/7/",
        **extra,
    )


def test_notify_creates_an_unread_notification(member: User, outsider: User) -> None:
    notification = _offer(member, outsider)

    assert notification is not None
    stored = Notification.objects.get()
    assert stored == notification
    assert (stored.recipient, stored.actor, stored.verb) == (member, outsider, "exchange.proposed")
    assert stored.url == "/exchanges/7/"
    assert stored.read_at is None and stored.emailed_at is None
    assert selectors.unread_count(member) == 1
    assert selectors.unread_count(outsider) == 0


def test_notify_owns_the_length_of_a_message_and_shortens_a_long_one(member: User) -> None:
    limit = services.MESSAGE_MAX_LENGTH
    assert limit == Notification._meta.get_field("message").max_length == 500
    fits = "a" * limit
    too_long = "Gil's note: " + "b" * 600

    kept = services.notify(recipient=member, verb="exchange.proposed", message=fits)
    cut = services.notify(recipient=member, verb="exchange.proposed", message=too_long)

    assert kept is not None and cut is not None
    kept.refresh_from_db()
    cut.refresh_from_db()
    assert kept.message == fits
    assert len(cut.message) == limit
    assert cut.message == too_long[: limit - 1] + "…"


def test_shorten_keeps_what_fits_and_marks_what_it_cut() -> None:
    assert services.shorten("abc", 3) == "abc"
    assert services.shorten("abcd", 3) == "ab…"
    assert services.shorten("", 3) == ""


def test_nobody_is_notified_of_their_own_action(
    member: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = _offer(member, member, needs_action=True)

    assert result is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_database_refuses_a_self_notification(member: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=member, actor=member, verb="x.y", message="m", created_at=timezone.now()
        )


def test_an_action_email_goes_only_after_commit(
    member: User, outsider: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notification = _offer(member, outsider, needs_action=True)
        assert mail.outbox == []
    assert len(callbacks) == 1

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["maya@nhs.net"]
    assert email.subject == "[OpenHours] Otto Outsider offered to help with 'QI coaching'"
    assert f"{django_settings.SITE_URL}/exchanges/7/" in email.body
    assert notification is not None
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_email_link_is_absolute(
    member: User,
    outsider: User,
    settings: Any,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    settings.SITE_URL = "https://openhours.example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=True):
        _offer(member, outsider, needs_action=True)

    assert "https://openhours.example.nhs.uk/exchanges/7/" in mail.outbox[0].body


def test_no_email_when_the_transaction_rolls_back(
    member: User, outsider: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    def notify_then_fail() -> None:
        with transaction.atomic():
            _offer(member, outsider, needs_action=True)
            raise RuntimeError("the exchange failed after notifying")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        notify_then_fail()

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_email_for_information_only_notifications(
    member: User, outsider: User, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _offer(member, outsider, needs_action=False)

    assert mail.outbox == []
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("preference", [EmailPreference.DIGEST, EmailPreference.OFF])
def test_no_immediate_email_unless_the_member_wants_it(
    member: User,
    outsider: User,
    preference: str,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    services.set_email_preference(user=member, preference=preference)

    with django_capture_on_commit_callbacks(execute=True):
        _offer(member, outsider, needs_action=True)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=member).count() == 1


def test_a_mail_failure_does_not_break_the_caller(
    member: User,
    outsider: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    def refuse(**kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(our_mail, "send_mail", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        notification = _offer(member, outsider, needs_action=True)

    # The change stands; the email task failed (logged with its cause), nothing claims an
    # email went out, and the worker's retry or the sweep sends it later.
    assert notification is not None
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert "state=FAILED" in caplog.text
    assert "mail server down" in caplog.text
    assert services.pending_immediate_emails(
        now=notification.created_at + timedelta(minutes=5), older_than=timedelta(minutes=2)
    ) == [notification.pk]


def test_preference_defaults_to_immediate_and_can_change(member: User) -> None:
    assert selectors.preference_for(member) == EmailPreference.IMMEDIATE

    services.set_email_preference(user=member, preference=EmailPreference.DIGEST)
    assert selectors.preference_for(member) == EmailPreference.DIGEST
    services.set_email_preference(user=member, preference=EmailPreference.OFF)
    assert selectors.preference_for(member) == EmailPreference.OFF


def test_an_unknown_preference_is_refused(member: User) -> None:
    with pytest.raises(DomainError) as exc:
        services.set_email_preference(user=member, preference="hourly")

    assert exc.value.field == "email"
    assert selectors.preference_for(member) == EmailPreference.IMMEDIATE


def test_mark_read_only_for_the_recipient(member: User, outsider: User) -> None:
    notification = _offer(member, outsider)
    assert notification is not None

    with pytest.raises(DomainError):
        services.mark_read(user=outsider, notification=notification)
    assert selectors.unread_count(member) == 1

    services.mark_read(user=member, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert selectors.unread_count(member) == 0


def test_mark_all_read_touches_only_the_members_own(member: User, outsider: User) -> None:
    _offer(member, outsider)
    _offer(member, outsider)
    _offer(outsider, member)

    assert services.mark_all_read(user=member) == 2
    assert selectors.unread_count(member) == 0
    assert selectors.unread_count(outsider) == 1
    assert services.mark_all_read(user=member) == 0


def test_notifications_for_lists_newest_first(member: User, outsider: User) -> None:
    first = _offer(member, outsider)
    second = _offer(member, outsider)
    assert first is not None and second is not None
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert list(selectors.notifications_for(member)) == [second, first]
    assert list(selectors.notifications_for(outsider)) == []


class TestDigest:
    def test_one_email_per_member_listing_their_unread(self, member: User, outsider: User) -> None:
        services.set_email_preference(user=member, preference=EmailPreference.DIGEST)
        services.set_email_preference(user=outsider, preference=EmailPreference.DIGEST)
        _offer(member, outsider, needs_action=True)
        services.notify(
            recipient=member, verb="exchange.confirmed", message="Otto confirmed 2 hours"
        )
        already_read = services.notify(
            recipient=member, verb="exchange.declined", message="Read already"
        )
        assert already_read is not None
        services.mark_read(user=member, notification=already_read)
        services.notify(recipient=outsider, verb="exchange.proposed", message="For Otto")

        sent = services.send_digests(now=timezone.now() + timedelta(seconds=1))

        assert sent == 2
        by_recipient = {email.to[0]: email for email in mail.outbox}
        maya = by_recipient["maya@nhs.net"]
        assert maya.subject == "[OpenHours] Your daily summary: 2 new notifications"
        assert "offered to help with 'QI coaching'" in maya.body
        assert "Otto confirmed 2 hours" in maya.body
        assert "Read already" not in maya.body
        assert "For Otto" not in maya.body
        assert "/exchanges/7/" in maya.body

    def test_running_twice_sends_nothing_new(self, member: User, outsider: User) -> None:
        services.set_email_preference(user=member, preference=EmailPreference.DIGEST)
        _offer(member, outsider, needs_action=True)
        later = timezone.now() + timedelta(seconds=1)

        assert services.send_digests(now=later) == 1
        assert services.send_digests(now=later) == 0
        assert len(mail.outbox) == 1
        assert Notification.objects.get().emailed_at == later

    def test_only_notifications_created_before_now(self, member: User, outsider: User) -> None:
        services.set_email_preference(user=member, preference=EmailPreference.DIGEST)
        _offer(member, outsider)

        assert services.send_digests(now=timezone.now() - timedelta(minutes=1)) == 0
        assert mail.outbox == []

    @pytest.mark.parametrize("preference", [EmailPreference.IMMEDIATE, EmailPreference.OFF])
    def test_members_not_on_the_digest_get_none(
        self, member: User, outsider: User, preference: str
    ) -> None:
        services.set_email_preference(user=member, preference=preference)
        _offer(member, outsider)
        UserFactory()  # a member with no preference row at all (immediate by default)

        assert services.send_digests(now=timezone.now() + timedelta(seconds=1)) == 0
        assert mail.outbox == []

    def test_a_refused_digest_is_retried_next_time(
        self, member: User, outsider: User, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        services.set_email_preference(user=member, preference=EmailPreference.DIGEST)
        _offer(member, outsider)
        later = timezone.now() + timedelta(seconds=1)

        def refuse(**kwargs: Any) -> int:
            raise ConnectionRefusedError("mail server down")

        with monkeypatch.context() as patch:
            patch.setattr(our_mail, "send_mail", refuse)
            assert services.send_digests(now=later) == 0
        assert Notification.objects.get().emailed_at is None

        assert services.send_digests(now=later) == 1
        assert len(mail.outbox) == 1


def test_clear_for_url_reads_only_that_members_notifications_about_that_url(
    member: User, coordinator: User
) -> None:
    services.notify(
        recipient=member, verb="x.one", message="About 1", url="/exchanges/1/", needs_action=True
    )
    services.notify(recipient=member, verb="x.two", message="About 2", url="/exchanges/2/")
    services.notify(recipient=coordinator, verb="x.one", message="About 1", url="/exchanges/1/")
    assert services.clear_for_url(user=member, url="") == 0
    assert services.clear_for_url(user=member, url="/exchanges/1/") == 1
    assert selectors.unread_count(member) == 1
    assert selectors.unread_count(coordinator) == 1
