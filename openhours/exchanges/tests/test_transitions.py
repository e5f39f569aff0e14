"""The state machine is one table: the docs show it, the services and the page obey it."""

from __future__ import annotations

import inspect
import itertools
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services, transitions
from openhours.exchanges.models import Exchange, State
from openhours.exchanges.permissions import available_actions, needs_action
from openhours.exchanges.selectors import needs_action_filter
from openhours.exchanges.transitions import BY_ACTION, TRANSITIONS, render_markdown

ARCHITECTURE = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"
MARKED = re.compile(
    r"<!-- exchange-transitions: start[^\n]*-->\n(?P<table>.*?)<!-- exchange-transitions: end -->",
    re.DOTALL,
)


def test_the_docs_table_is_the_table_in_the_code() -> None:
    found = MARKED.search(ARCHITECTURE.read_text())
    assert found is not None, "docs/architecture.md lost its exchange-transitions markers"
    assert found["table"] == render_markdown(), (
        "docs/architecture.md (Exchanges) differs from exchanges/transitions.py: paste the "
        "output of `manage.py exchange_transitions` between the markers."
    )


def test_the_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("exchange_transitions")
    assert capsys.readouterr().out == render_markdown()


def test_every_move_is_named_once_and_reaches_a_state_it_leaves_from() -> None:
    assert len(BY_ACTION) == len(TRANSITIONS)
    for t in TRANSITIONS:
        assert t.sources, t.action
        assert t.target not in t.sources, t.action


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_each_service_named_in_the_table_checks_that_move(
    transition: transitions.Transition,
) -> None:
    """The table's service column is true: that service exists and checks this move."""
    for name in transition.services:
        assert name in services.__all__, name
        source = inspect.getsource(getattr(services, name))
        if transition.action == "propose":  # both reach it through the shared _create
            source = inspect.getsource(services.workflow._create)
        elif transition.action == "auto_confirm":  # checked per exchange under its lock
            source = inspect.getsource(services.workflow._waiting_answer)
        assert f'"{transition.action}"' in source, (name, transition.action)


# --- the page is derived from the same table: every state, every kind of person ---------


def _offered_before_the_table(user: User, exchange: Exchange) -> set[str]:
    """``permissions.available_actions`` as it was written by hand before the table
    existed, kept here as the known answer the derived version must still give."""
    actions: set[str] = set()
    if user.is_coordinator and not exchange.is_party(user) and exchange.state == State.DISPUTED:
        actions.add("resolve")
    if not exchange.is_party(user):
        return actions
    is_giver = user.pk == exchange.giver_id
    state = exchange.state
    if state == State.PROPOSED:
        actions.add("cancel")
        if exchange.proposed_by_id != user.pk:
            actions |= {"accept", "decline"}
    elif state == State.ACCEPTED:
        actions.add("cancel")
        if is_giver:
            actions.add("deliver")
    elif state == State.DELIVERED:
        actions.add("dispute")
        if not is_giver:
            actions |= {"confirm", "correct"}
    elif state == State.CORRECTION_PROPOSED:
        actions.add("dispute")
        if is_giver:
            actions |= {"accept_correction", "reject_correction"}
    elif state == State.CONFIRMED:
        actions.add("repeat")
    if state not in (State.DECLINED, State.CANCELLED):
        actions.add("message")
    return actions


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "giver_proposed"), list(itertools.product(State, (True, False))))
def test_the_page_offers_what_it_offered_before_the_table(
    state: State, giver_proposed: bool
) -> None:
    giver, receiver = UserFactory(), UserFactory()
    people = [giver, receiver, UserFactory(role=Role.COORDINATOR), UserFactory()]
    # Built in memory, never saved, only to put the page in every state for every person.
    exchange = Exchange(
        pk=1,
        giver=giver,
        receiver=receiver,
        proposed_by=giver if giver_proposed else receiver,
        state=state,
    )
    exchange._state.adding = False
    for person in people:
        assert available_actions(person, exchange) == _offered_before_the_table(person, exchange), (
            state,
            person,
        )


@pytest.mark.parametrize(
    "fixture",
    ["proposed", "asked_the_giver", "accepted", "delivered", "corrected", "disputed", "confirmed"],
)
def test_whose_turn_it_is_agrees_in_python_and_in_the_database(
    fixture: str, request: pytest.FixtureRequest, giver: User, member: User
) -> None:
    exchange = request.getfixturevalue(fixture)
    for person in (giver, member):
        in_database = Exchange.objects.filter(needs_action_filter(person), pk=exchange.pk)
        assert in_database.exists() == needs_action(person, exchange), (fixture, person)


@pytest.fixture
def asked_the_giver(giver: User, member: User) -> Exchange:
    """Proposed by the receiver, so the giver is the one who was asked."""
    return services.propose_to_member(
        proposer=member, other=giver, proposer_gives=False, title="Spreadsheet help"
    )
