"""The coordinators' pages: the community pool, its forms, reversals and the audit log."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import User
from openhours.ledger import services
from openhours.ledger.models import AuditEvent, Transfer, TransferKind
from openhours.ledger.selectors import balance, pool_summary

from .factories import pay
from .helpers import new_key

pytestmark = pytest.mark.django_db

POOL_PAGES = ["ledger:pool", "ledger:audit", "ledger:find_transfer"]
POOL_POSTS = ["ledger:pool_grant", "ledger:pool_top_up", "ledger:pool_adjust"]


def _key() -> str:
    return str(uuid.uuid4())


@pytest.mark.parametrize("persona", ["member_client", "outsider_client"])
def test_members_and_outsiders_are_refused_every_pool_page(
    persona: str, request: pytest.FixtureRequest, member: User
) -> None:
    client: Client = request.getfixturevalue(persona)
    transfer = services.grant_joining_credit(user=member)
    assert transfer is not None
    for name in POOL_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    for name in POOL_POSTS:
        response = client.post(
            reverse(name), {"grant-to_user": member.pk, "grant-hours": 1, "grant-minutes": 0}
        )
        assert response.status_code == 403, name
    url = reverse("ledger:reverse", args=[transfer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "idempotency_key": _key()}).status_code == 403
    assert not Transfer.objects.exclude(pk=transfer.pk).exists()


def test_the_pool_page_shows_the_summary_and_recent_transfers(
    coordinator_client: Client, member: User, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(300)
    services.grant_joining_credit(user=member)
    services.donate(donor=member, minutes=60, idempotency_key=new_key(), memo="For the pool")

    response = coordinator_client.get(reverse("ledger:pool"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>6 h</strong> in the pool, given by 1 member." in html
    assert "Community pool top-up" in html
    assert "For the pool" in html
    assert "Maya Member" in html
    assert response.context["nav"] == "coordinate"


def test_a_coordinator_grants_from_the_pool(
    coordinator_client: Client, member: User, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(120)
    data = {
        "grant-to_user": member.pk,
        "grant-hours": 1,
        "grant-minutes": 30,
        "grant-reason": "New starter without credits",
        "grant-idempotency_key": _key(),
    }

    first = coordinator_client.post(reverse("ledger:pool_grant"), data)
    again = coordinator_client.post(reverse("ledger:pool_grant"), data)

    assert first.status_code == again.status_code == 302
    assert balance(member) == 90
    assert pool_summary().balance == 30
    grant = Transfer.objects.get(kind=TransferKind.GRANT)
    assert grant.memo == "New starter without credits"


def test_a_grant_the_pool_cannot_cover_is_refused_and_nothing_moves(
    coordinator_client: Client, member: User, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(30)
    response = coordinator_client.post(
        reverse("ledger:pool_grant"),
        {
            "grant-to_user": member.pk,
            "grant-hours": 1,
            "grant-minutes": 0,
            "grant-reason": "Help",
            "grant-idempotency_key": _key(),
        },
    )
    assert response.status_code == 400
    assert response.context["grant_form"].errors
    assert balance(member) == 0
    assert pool_summary().balance == 30


def test_a_grant_without_a_reason_is_refused_beside_the_reason(
    coordinator_client: Client, member: User, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(120)
    response = coordinator_client.post(
        reverse("ledger:pool_grant"),
        {
            "grant-to_user": member.pk,
            "grant-hours": 1,
            "grant-minutes": 0,
            "grant-reason": "   ",
            "grant-idempotency_key": _key(),
        },
    )
    assert response.status_code == 400
    assert "Give a reason" in response.context["grant_form"].errors["reason"][0]
    assert 'id="id_grant-reason_error"' in response.content.decode()
    assert balance(member) == 0


def test_a_coordinator_tops_up_the_pool(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("ledger:pool_top_up"),
        {
            "topup-hours": 10,
            "topup-minutes": 0,
            "topup-reason": "Winter campaign",
            "topup-idempotency_key": _key(),
        },
    )
    assert response.status_code == 302
    assert pool_summary().balance == 600


def test_a_top_up_without_a_reason_posts_nothing(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        reverse("ledger:pool_top_up"),
        {"topup-hours": 10, "topup-minutes": 0, "topup-idempotency_key": _key()},
    )
    assert response.status_code == 400
    assert response.context["top_up_form"].errors["reason"]
    assert pool_summary().balance == 0


def test_a_coordinator_adjusts_a_balance_down(coordinator_client: Client, member: User) -> None:
    services.grant_joining_credit(user=member)
    response = coordinator_client.post(
        reverse("ledger:pool_adjust"),
        {
            "adjust-user": member.pk,
            "adjust-minutes": -30,
            "adjust-reason": "Recorded twice",
            "adjust-idempotency_key": _key(),
        },
    )
    assert response.status_code == 302
    assert balance(member) == 90


def test_an_adjustment_below_the_floor_needs_the_override(
    coordinator_client: Client, member: User
) -> None:
    data = {
        "adjust-user": member.pk,
        "adjust-minutes": -700,
        "adjust-reason": "Correction",
        "adjust-idempotency_key": _key(),
    }
    refused = coordinator_client.post(reverse("ledger:pool_adjust"), data)
    assert refused.status_code == 400
    assert "Confirm the override" in refused.content.decode()
    assert balance(member) == 0

    data["adjust-override_lower_limit"] = "on"
    data["adjust-idempotency_key"] = _key()
    assert coordinator_client.post(reverse("ledger:pool_adjust"), data).status_code == 302
    assert balance(member) == -700


def test_a_zero_adjustment_is_refused(coordinator_client: Client, member: User) -> None:
    response = coordinator_client.post(
        reverse("ledger:pool_adjust"),
        {
            "adjust-user": member.pk,
            "adjust-minutes": 0,
            "adjust-reason": "Nothing",
            "adjust-idempotency_key": _key(),
        },
    )
    assert response.status_code == 400
    assert response.context["adjust_form"].errors["minutes"]


def test_reversing_shows_what_will_move_then_posts_once(
    coordinator_client: Client, member: User, giver: User
) -> None:
    services.grant_joining_credit(user=member)
    exchange = pay(giver, member, 60, reference="exchange:9")
    url = reverse("ledger:reverse", args=[exchange.pk])

    page = coordinator_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Maya Member" in html and "Gil Giver" in html
    assert "+1 h" in html and "\u22121 h" in html
    assert balance(member) == 60  # nothing moved yet

    data = {"reason": "Recorded by mistake", "idempotency_key": _key()}
    assert coordinator_client.post(url, data).status_code == 302
    assert coordinator_client.post(url, data).status_code == 302  # a double click
    assert Transfer.objects.filter(kind=TransferKind.REVERSAL).count() == 1
    assert balance(member) == 120
    assert balance(giver) == 0
    assert "already reversed" in coordinator_client.get(url).content.decode()


def test_a_reversal_needs_a_reason(coordinator_client: Client, member: User) -> None:
    grant = services.grant_joining_credit(user=member)
    assert grant is not None
    response = coordinator_client.post(
        reverse("ledger:reverse", args=[grant.pk]), {"reason": "", "idempotency_key": _key()}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not Transfer.objects.filter(kind=TransferKind.REVERSAL).exists()


def test_a_coordinator_cannot_reverse_their_own_transfer(
    coordinator_client: Client, coordinator: User, member: User
) -> None:
    services.grant_joining_credit(user=coordinator)
    gift = services.donate(donor=coordinator, to_user=member, minutes=30, idempotency_key=new_key())
    response = coordinator_client.post(
        reverse("ledger:reverse", args=[gift.pk]), {"reason": "Oops", "idempotency_key": _key()}
    )
    assert response.status_code == 400
    assert "another coordinator" in response.content.decode()
    assert balance(member) == 30


def test_finding_a_transfer_leads_to_its_reversal_page(coordinator_client: Client) -> None:
    response = coordinator_client.get(reverse("ledger:find_transfer") + "?transfer=42")
    assert response["Location"] == reverse("ledger:reverse", args=[42])
    assert coordinator_client.get(reverse("ledger:reverse", args=[42])).status_code == 404
    bad = coordinator_client.get(reverse("ledger:find_transfer") + "?transfer=abc")
    assert bad["Location"] == reverse("ledger:pool")


def test_the_audit_log_lists_events_newest_first_with_names(
    coordinator_client: Client, member: User, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(60)
    services.grant_joining_credit(user=member)

    response = coordinator_client.get(reverse("ledger:audit"))

    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [e.verb for e in events] == ["ledger.joining_grant", "ledger.pool_top_up"]
    assert events[0].pk > events[1].pk
    html = response.content.decode()
    assert "Maya Member: +2 h" in html
    assert "Tess Treasurer" in html
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "field", "form"),
    [
        ("ledger:pool_grant", "grant-to_user", "grant_form"),
        ("ledger:pool_adjust", "adjust-user", "adjust_form"),
    ],
)
@pytest.mark.parametrize("tampered", ["999999", "x1", ""])
def test_a_tampered_member_is_an_error_beside_the_field(
    coordinator_client: Client, name: str, field: str, form: str, tampered: str, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(300)
    prefix = field.split("-")[0]
    response = coordinator_client.post(
        reverse(name),
        {
            field: tampered,
            f"{prefix}-hours": 1,
            f"{prefix}-minutes": 30 if prefix == "adjust" else 0,
            f"{prefix}-reason": "Help",
            f"{prefix}-idempotency_key": _key(),
        },
    )
    assert response.status_code == 400
    assert response.context[form].errors[field.split("-")[1]]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Transfer.objects.exclude(kind=TransferKind.POOL_TOP_UP).exists()


def test_a_coordinator_cannot_grant_to_themselves(
    coordinator_client: Client, coordinator: User, fill_pool
) -> None:  # type: ignore[no-untyped-def]
    fill_pool(300)
    response = coordinator_client.post(
        reverse("ledger:pool_grant"),
        {
            "grant-to_user": coordinator.pk,
            "grant-hours": 1,
            "grant-minutes": 0,
            "grant-reason": "Mine",
            "grant-idempotency_key": _key(),
        },
    )
    assert response.status_code == 400
    assert response.context["grant_form"].errors["to_user"] == [
        "You can't grant credits to yourself."
    ]
    assert balance(coordinator) == 0


def test_the_pool_page_has_two_pickers_that_leave_out_the_coordinator(
    coordinator_client: Client, member: User
) -> None:
    html = coordinator_client.get(reverse("ledger:pool")).content.decode()
    assert 'id="id_grant-to_user_listbox"' in html
    assert 'id="id_adjust-user_listbox"' in html
    assert html.count('"exclude_me": "1"') == 2
    assert member.full_name not in html  # no longer one option per member
