"""Every URL, visited as an anonymous visitor, a member and a coordinator: never a 500.

The URL list is read from the resolver, so a new page is covered as soon as it exists.
Parameters are filled with real objects where the pattern asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from openhours.accounts.models import User
from openhours.exchanges.services import respond_to_post
from openhours.group_sessions.tests.factories import make_group_session
from openhours.ledger.services import grant_joining_credit
from openhours.notifications.services import notify
from openhours.organisations.tests.factories import OrganisationFactory
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/",)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str, values: dict[str, str]) -> str | None:
    if "(?P" in route or route.startswith("^"):
        return None  # regex routes from libraries (allauth's key-based links)
    for name, value in values.items():
        route = route.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
    if "<" in route:
        return None
    return "/" + route


def _urls(values: dict[str, str]) -> list[str]:
    urls = []
    for route in _patterns(get_resolver()):
        if route.startswith(SKIP_PREFIXES):
            continue
        url = _fill(route, values)
        if url is not None:
            urls.append(url)
    return sorted(set(urls))


@pytest.mark.parametrize("persona", ["anonymous", "member", "coordinator", "outsider"])
def test_no_url_returns_a_server_error(
    persona: str, member: User, coordinator: User, outsider: User
) -> None:
    post = make_post(member)
    OrganisationFactory(name="North Bristol NHS Trust")
    notification = notify(
        recipient=member, actor=outsider, verb="test.url", message="Seen", url="/posts/"
    )
    assert notification is not None
    transfer = grant_joining_credit(user=member)
    assert transfer is not None
    values = {
        "post_id": str(post.pk),
        "user_id": str(member.pk),
        "pk": str(post.pk),
        "notification_id": str(notification.pk),
        "transfer_id": str(transfer.pk),
        "session_id": str(make_group_session(member).pk),
        "exchange_id": str(respond_to_post(responder=outsider, post=post).pk),
    }
    client = Client(raise_request_exception=False)
    who = {"member": member, "coordinator": coordinator, "outsider": outsider}.get(persona)
    urls = _urls(values)
    assert len(urls) > 20
    failures = []
    for url in urls:
        for method in ("get", "post"):
            if who is not None:
                client.force_login(who)  # an earlier POST may have signed out
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url} -> {response.status_code}")
            if persona == "anonymous" and url.startswith("/membership/approvals"):
                assert response.status_code in {302, 405}
    assert failures == []
