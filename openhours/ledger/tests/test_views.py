"""The ledger's pages, seen by a member, a coordinator and an outsider.

State is built through the real services; each test checks what people see and what moved.
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.ledger import services
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.selectors import balance, pool_summary
from openhours.ledger.templatetags.ledger import reference_link

from .factories import pay
from .helpers import new_key

pytestmark = pytest.mark.django_db


def _exchange(
    *, giver: User, receiver: User, minutes: int, reference: str = "", memo: str = ""
) -> Transfer:
    return pay(giver, receiver, minutes, reference=reference, memo=memo)


# Statement ---------------------------------------------------------------------------


def test_the_statement_leads_with_what_the_member_gave(
    member_client: Client, member: User, giver: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(giver, 300)
    services.grant_joining_credit(user=member)
    _exchange(giver=member, receiver=giver, minutes=750, memo="Audit help")
    _exchange(giver=giver, receiver=member, minutes=480)

    response = member_client.get(reverse("ledger:statement"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "You have given <strong>12 h 30 min</strong> · received <strong>8 h</strong>" in html
    # 120 joining + 750 - 480 = 390 minutes.
    assert '<strong class="credit-balance">6 h 30 min</strong>' in html
    assert "Gil Giver" in html
    assert "Joining grant" in html
    assert "Audit help" in html
    assert "+12 h 30 min" in html
    assert "\u22128 h" in html
    assert response.context["nav"] == "credits"


def test_the_statement_shows_the_balance_after_each_entry(
    member_client: Client, member: User, giver: User
) -> None:
    services.grant_joining_credit(user=member)
    _exchange(giver=giver, receiver=member, minutes=30)

    entries = list(member_client.get(reverse("ledger:statement")).context["page"].object_list)

    assert [(e.amount, e.balance_after) for e in entries] == [(-30, 90), (120, 120)]


def test_the_statement_pages_by_25(member_client: Client, member: User, giver: User) -> None:
    services.grant_joining_credit(user=member)
    for _ in range(26):
        _exchange(giver=member, receiver=giver, minutes=15)

    first = member_client.get(reverse("ledger:statement"))
    second = member_client.get(reverse("ledger:statement") + "?page=2")

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert "Page 1 of 2" in first.content.decode()


def test_the_statement_warns_near_a_limit(member_client: Client, member: User, set_balance) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, -550)

    response = member_client.get(reverse("ledger:statement"))

    assert "You can spend 50 minutes more before reaching the lower limit" in (
        response.content.decode()
    )


def test_an_empty_statement_explains_how_to_earn(member_client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 120
    html = member_client.get(reverse("ledger:statement")).content.decode()

    assert "Nothing here yet" in html
    assert "welcome grant of 2 hours" in html
    assert reverse("posts:create") + "?kind=offer" in html
    assert reverse("ledger:donate") in html


def test_the_statement_is_for_members_only(client: Client) -> None:
    response = client.get(reverse("ledger:statement"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_statement_shows_only_the_members_own_entries(
    outsider_client: Client, member: User, giver: User
) -> None:
    services.grant_joining_credit(user=member)
    _exchange(giver=giver, receiver=member, minutes=60, memo="Private business case")

    html = outsider_client.get(reverse("ledger:statement")).content.decode()

    assert "Private business case" not in html
    assert "Nothing here yet" in html


def test_the_pool_link_shows_for_coordinators_only(
    member_client: Client, coordinator_client: Client
) -> None:
    assert (
        reverse("ledger:pool")
        not in member_client.get(reverse("ledger:statement")).content.decode()
    )
    assert (
        reverse("ledger:pool")
        in coordinator_client.get(reverse("ledger:statement")).content.decode()
    )


# Reference links -----------------------------------------------------------------------


def test_a_reference_links_through_the_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPENHOURS_LEDGER_REFERENCE_URLS = {"exchange": "ledger:reverse"}
    assert reference_link("exchange:42") == (
        f'<a href="{reverse("ledger:reverse", args=[42])}">Exchange 42</a>'
    )


def test_a_reference_without_a_page_is_plain_text(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPENHOURS_LEDGER_REFERENCE_URLS = {"exchange": "nowhere:detail"}
    assert reference_link("exchange:42") == "Exchange 42"
    assert reference_link("campaign:<b>7</b>") == "campaign:&lt;b&gt;7&lt;/b&gt;"
    assert reference_link("exchange:not-a-number") == "exchange:not-a-number"
    assert reference_link("") == ""


def test_the_statement_falls_back_to_text_for_unroutable_references(
    member_client: Client, member: User, giver: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OPENHOURS_LEDGER_REFERENCE_URLS = {"exchange": "nowhere:detail"}
    services.grant_joining_credit(user=member)
    _exchange(giver=giver, receiver=member, minutes=60, reference="exchange:42")

    response = member_client.get(reverse("ledger:statement"))

    assert response.status_code == 200
    assert "<td>Exchange 42</td>" in response.content.decode()


# CSV -----------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_has_every_entry_oldest_first(
    member_client: Client, member: User, giver: User
) -> None:
    services.grant_joining_credit(user=member)
    transfer = _exchange(
        giver=giver, receiver=member, minutes=90, reference="exchange:42", memo="QI coaching"
    )

    response = member_client.get(reverse("ledger:statement_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="openhours-statement-')
    assert response.streaming
    rows = _csv(response)
    assert rows[0] == [
        "date", "time", "transfer", "kind", "memo", "counterpart", "reference",
        "minutes", "hours", "balance_after_minutes", "balance_after_hours",
    ]  # fmt: skip
    assert len(rows) == 3
    assert rows[1][3:] == [
        "Joining grant", "Welcome to the time bank", "New credits (issuance)", "",
        "120", "2.00", "120", "2.00",
    ]  # fmt: skip
    assert rows[2][2:] == [
        str(transfer.pk), "Exchange", "QI coaching", "Gil Giver", "exchange:42",
        "-90", "-1.50", "30", "0.50",
    ]  # fmt: skip
    assert len(rows[2][0]) == 10 and rows[2][0][4] == "-"  # ISO date, YYYY-MM-DD


def test_the_csv_defuses_spreadsheet_formulas(member_client: Client, member: User) -> None:
    attacker = UserFactory(full_name='=HYPERLINK("http://evil")')
    services.grant_joining_credit(user=member)
    services.grant_joining_credit(user=attacker)
    services.donate(
        donor=attacker, to_user=member, minutes=30, memo="@SUM(A1:A9)", idempotency_key=new_key()
    )

    row = _csv(member_client.get(reverse("ledger:statement_csv")))[-1]

    assert row[4] == "'@SUM(A1:A9)"
    assert row[5] == '\'=HYPERLINK("http://evil")'
    assert row[7] == "30"  # numbers the ledger wrote are left alone


def test_the_csv_is_for_members_only(client: Client) -> None:
    assert client.get(reverse("ledger:statement_csv")).status_code == 302


# Donations -----------------------------------------------------------------------------


def _donation(**overrides: object) -> dict[str, object]:
    if overrides.get("to_user"):
        overrides.setdefault("recipient", "colleague")
    return {
        "recipient": "pool",
        "to_user": "",
        "hours": 1,
        "minutes": 0,
        "memo": "",
        "idempotency_key": str(uuid.uuid4()),
        **overrides,
    }


def test_the_donate_form_carries_a_fresh_key(member_client: Client) -> None:
    first = member_client.get(reverse("ledger:donate")).context["form"]
    second = member_client.get(reverse("ledger:donate")).context["form"]
    assert first["idempotency_key"].value() != second["idempotency_key"].value()
    assert 'type="hidden" name="idempotency_key"' in str(first["idempotency_key"])


def test_donating_shows_a_summary_before_anything_moves(
    member_client: Client, member: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)

    response = member_client.post(reverse("ledger:donate"), _donation(hours=1, minutes=30))

    assert response.status_code == 200
    assert "Check your donation" in response.content.decode()
    assert "The community pool" in response.content.decode()
    assert "3 h now, 1 h 30 min afterwards" in response.content.decode()
    assert balance(member) == 180


def test_donating_to_the_pool(member_client: Client, member: User, set_balance) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)

    response = member_client.post(
        reverse("ledger:donate"), _donation(hours=1, minutes=30, confirm="yes"), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("ledger:statement")
    assert "You gave 1 hour 30 minutes to the community pool" in response.content.decode()
    assert balance(member) == 90
    assert pool_summary().balance == 90


def test_donating_to_a_colleague(
    member_client: Client, member: User, giver: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 60)

    member_client.post(
        reverse("ledger:donate"),
        _donation(to_user=giver.pk, hours=0, minutes=45, memo="Thanks!", confirm="yes"),
    )

    assert balance(giver) == 45
    assert Transfer.objects.get(kind=TransferKind.DONATION).memo == "Thanks!"


def test_a_double_submitted_donation_posts_once(
    member_client: Client, member: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)
    data = _donation(hours=1, confirm="yes")

    first = member_client.post(reverse("ledger:donate"), data, follow=True)
    second = member_client.post(reverse("ledger:donate"), data, follow=True)

    assert Transfer.objects.filter(kind=TransferKind.DONATION).count() == 1
    assert balance(member) == 120
    for response in (first, second):
        assert "You gave 1 hour to the community pool" in response.content.decode()


def test_an_over_limit_donation_is_refused_beside_the_amount(
    member_client: Client, member: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 30)
    data = _donation(hours=1, confirm="yes")

    response = member_client.post(reverse("ledger:donate"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["hours"]
    assert "hours" not in form.non_field_errors()
    assert 'id="id_hours_error"' in response.content.decode()
    assert balance(member) == 30
    assert not Transfer.objects.filter(kind=TransferKind.DONATION).exists()
    # The re-shown form has a new key, so correcting the amount is a new request.
    assert form["idempotency_key"].value() != data["idempotency_key"]


def test_a_zero_donation_is_refused(member_client: Client) -> None:
    response = member_client.post(reverse("ledger:donate"), _donation(hours=0, minutes=0))
    assert response.status_code == 400
    assert "at least 15 minutes" in response.context["form"].errors["hours"][0]


def test_a_tampered_key_posts_nothing(member_client: Client, member: User, set_balance) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)
    response = member_client.post(
        reverse("ledger:donate"),
        _donation(idempotency_key=f"joining-grant:{member.pk}", confirm="yes"),
    )
    assert response.status_code == 400
    assert "out of date" in response.content.decode()
    assert balance(member) == 180


def test_a_member_cannot_donate_to_themselves(
    member_client: Client, member: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)
    response = member_client.post(
        reverse("ledger:donate"), _donation(to_user=member.pk, confirm="yes")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["to_user"]
    assert balance(member) == 180


# Choosing the colleague with the member picker -------------------------------------------


def test_the_donate_page_does_not_list_every_member(member_client: Client) -> None:
    others = [UserFactory(full_name=f"Listed Nobody {n}") for n in range(3)]
    html = member_client.get(reverse("ledger:donate")).content.decode()
    assert "<option" not in html.split('name="hours"')[0]
    for person in others:
        assert person.full_name not in html
    assert 'name="recipient" value="pool"' in html
    assert reverse("members:search") in html


def test_a_link_to_donate_to_someone_starts_with_them_chosen(
    member_client: Client, giver: User
) -> None:
    form = member_client.get(reverse("ledger:donate"), {"to": giver.pk}).context["form"]
    html = str(form["to_user"])
    assert form["recipient"].value() == "colleague"
    assert f'value="{giver.pk}"' in html
    assert f'value="{giver.full_name}"' in html


def test_without_javascript_a_member_donates_by_email_through_the_check_page(
    member_client: Client, member: User, giver: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 60)
    data = _donation(recipient="colleague", to_user_query=giver.email.upper(), hours=0, minutes=30)

    check = member_client.post(reverse("ledger:donate"), data)
    assert check.status_code == 200
    assert f"<dd>{giver.full_name}</dd>" in check.content.decode()
    # The check page posts both halves back, as hidden inputs.
    assert f'name="to_user_query" value="{giver.email.upper()}"' in check.content.decode()

    member_client.post(reverse("ledger:donate"), {**data, "confirm": "yes"})
    assert balance(giver) == 30


@pytest.mark.parametrize("tampered", ["999999", "abc", "1.5", "<script>"])
def test_a_tampered_recipient_is_an_error_beside_the_field_not_a_500(
    member_client: Client, member: User, set_balance, tampered: str
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)
    response = member_client.post(
        reverse("ledger:donate"), _donation(recipient="colleague", to_user=tampered, confirm="yes")
    )
    assert response.status_code == 400
    assert "can't be chosen" in response.context["form"].errors["to_user"][0]
    assert 'id="id_to_user_error"' in response.content.decode()
    assert "<script>" not in response.content.decode().split("</header>")[1]
    assert balance(member) == 180


def test_a_colleague_must_be_named_when_giving_to_a_colleague(
    member_client: Client, member: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)
    response = member_client.post(reverse("ledger:donate"), _donation(recipient="colleague"))
    assert response.status_code == 400
    assert response.context["form"].errors["to_user"] == [
        "Choose a colleague, or give to the community pool."
    ]


def test_giving_to_the_pool_ignores_what_was_left_in_the_colleague_box(
    member_client: Client, member: User, giver: User, set_balance
) -> None:  # type: ignore[no-untyped-def]
    set_balance(member, 180)
    member_client.post(
        reverse("ledger:donate"),
        _donation(recipient="pool", to_user="junk", to_user_query="Gil", confirm="yes"),
    )
    assert pool_summary().balance == 60
    assert balance(giver) == 0


def test_the_recipient_choice_is_required(member_client: Client) -> None:
    response = member_client.post(reverse("ledger:donate"), _donation(recipient=""))
    assert response.status_code == 400
    assert response.context["form"].errors["recipient"]
