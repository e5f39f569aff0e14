"""Six months of time-bank history for the demo, written only through the real services.

Joining grants, one-to-one exchanges (from proposal to thanks, with declines,
cancellations, corrections and disputes), group sessions, donations and the coordinator's
pool work are planned as scripts (``timeline``) with a seeded random, then run in time
order with the clock moved to each step's moment. Nothing is written to the exchange or
ledger tables directly, and no limit is overridden: a step a service refuses ends its
story and is counted in the report.

The module is split by what it builds: ``stories`` holds what every story shares (the
clock, the random, choosing people, the minutes set aside for stories in progress),
``exchange_stories`` the steps of a one-to-one exchange and ``session_stories`` those of a
group session; ``History`` here is both, and plans joining grants, donations, the
scheduled jobs and which random stories there are.

The two demo logins get stories of their own (``showcase_history``), so that signing in
shows a full statement and things to do. Those build on ``History``, so this module does not
import them: the caller hands them to ``plan`` (``seeding`` does), and what both modules
share besides ``History`` (``Timing``, ``Script``) lives in ``timeline``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from openhours.exchanges import services as exchanges
from openhours.exchanges.models import Exchange
from openhours.group_sessions import services as sessions
from openhours.group_sessions.models import GroupSession
from openhours.ledger import services as ledger
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.selectors import balance
from openhours.notifications.services import mark_all_read

from .content import history as words
from .content.history import SESSIONS, SessionIdea
from .exchange_stories import ExchangeStories
from .session_stories import SessionStories
from .stories import HISTORY_DAYS, Participant, quarter_hours
from .timeline import Context, TimelineRun, run_timeline

HISTORY_MEMBER_LIMIT = 1000  # members beyond this (benchmark sizes) have no history
EXCHANGES_PER_MEMBER = 0.9
MAX_EXCHANGES = 450
UNREAD_DAYS = 3  # notifications newer than this are left unread

# How random exchanges end (when the story isn't cut short by the present).
OUTCOMES = {
    "confirmed": 0.72,
    "auto_confirmed": 0.07,
    "corrected": 0.04,
    "correction_rejected": 0.015,
    "disputed_confirmed": 0.02,
    "disputed_cancelled": 0.015,
    "declined": 0.06,
    "cancelled": 0.04,
    "cancelled_after_accepting": 0.02,
}


@dataclass(frozen=True)
class HistoryReport:
    exchanges: dict[str, int]  # by state
    sessions: dict[str, int]  # by status
    donations: int
    transfers: int
    steps: int
    refused: int
    refusals: dict[str, int]

    def summary(self) -> str:
        def listed(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {state}" for state, n in counts.items()) or "none"

        return (
            f"History: {sum(self.exchanges.values())} exchanges ({listed(self.exchanges)}); "
            f"{sum(self.sessions.values())} group sessions ({listed(self.sessions)}); "
            f"{self.donations} donations; {self.transfers} ledger transfers; "
            f"{self.steps} steps through the services, {self.refused} refused by a rule "
            "and skipped."
        )


class History(ExchangeStories, SessionStories):
    """Plans the stories, then runs them with ``run``."""

    # -- planning -----------------------------------------------------------------------

    def plan(self, *, showcase: Callable[[History], None] | None = None) -> None:
        """Plan every story; ``showcase`` plans the demo logins' own, after the random ones."""
        for person in self.everyone:
            self._plan_joining_grant(person)
        self._plan_system_runs()
        if len(self.pool) >= 2:
            count = min(MAX_EXCHANGES, round(EXCHANGES_PER_MEMBER * len(self.pool)))
            for _ in range(count):
                self._plan_random_exchange()
            for _ in range(max(2, len(self.pool) // 20)):
                self._plan_donation()
            past = max(2, min(8, len(self.pool) // 50))
            for idea in self.rng.sample(SESSIONS, min(past, len(SESSIONS))):
                self._plan_random_session(idea)
        if showcase is not None:
            showcase(self)
        self.script("notifications", self.now - timedelta(days=UNREAD_DAYS)).then(
            timedelta(0), "read", self._read_notifications
        )

    def _plan_joining_grant(self, person: Participant) -> None:
        def grant(_: Context) -> None:
            ledger.grant_joining_credit(user=person.user)

        # At sign-up: the grant comes with approval, at whatever hour someone joins.
        self.script("joining grant", person.joined_at, daytime=False).then(
            timedelta(0), "grant", grant
        )

    def _plan_system_runs(self) -> None:
        """What cron does: automatic confirmation, and settling group sessions."""

        def run(_: Context) -> None:
            exchanges.auto_confirm_due()
            sessions.settle_due_sessions()

        day = self.start.replace(hour=3, minute=0, second=0, microsecond=0)
        while day < self.now:
            self.script("scheduled jobs", day, daytime=False).then(timedelta(0), "run", run)
            day += timedelta(days=3)

    def _plan_random_exchange(self) -> None:
        rng = self.rng
        start = self.now - timedelta(days=HISTORY_DAYS * rng.random() ** 1.25)
        outcome = rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
        script = self.script("exchange", start)
        script.then(timedelta(0), "propose", self._open_random_exchange)
        self.add_exchange_steps(script, outcome, self.random_timing(script.rng))

    def _plan_donation(self) -> None:
        start = self.now - timedelta(days=HISTORY_DAYS * self.rng.random() ** 0.8)
        to_member = self.rng.random() < 0.25
        key = f"demo:donation:{next(self._keys)}"

        def donate(ctx: Context) -> bool | None:
            at = timezone.now()
            donor = self.pick(ctx.rng, at, need=0)
            if donor is None:
                return False
            room = balance(donor) - self._held[donor.pk]
            if room < 60:
                return False
            minutes = quarter_hours(ctx.rng.uniform(30, min(room, 240)), high=room)
            other = self.pick(ctx.rng, at, exclude={donor.pk}, need=0) if to_member else None
            memos = words.MEMBER_DONATION_MEMOS if other else words.DONATION_MEMOS
            ledger.donate(
                donor=donor,
                to_user=other,
                minutes=minutes,
                idempotency_key=key,
                memo=ctx.rng.choice(memos),
            )
            return None

        self.script("donation", start).then(timedelta(0), "donate", donate)

    def _plan_random_session(self, idea: SessionIdea) -> None:
        rng = self.rng
        starts = self.now - timedelta(days=rng.uniform(20, HISTORY_DAYS - 20), hours=rng.random())
        starts = starts.replace(hour=rng.choice([10, 12, 14]), minute=rng.choice([0, 30]))
        outcome = rng.choices(["settled", "disputed", "silent"], [0.6, 0.2, 0.2])[0]
        self.add_session(
            idea,
            giver=None,
            created=starts - timedelta(days=rng.uniform(10, 25)),
            starts=starts,
            attendees=rng.randint(4, 10),
            outcome=outcome,
        )

    # -- everyone ----------------------------------------------------------------------------

    def _read_notifications(self, _: Context) -> None:
        for person in self.everyone:
            mark_all_read(user=person.user)

    # -- running ------------------------------------------------------------------------------

    def run(self, *, progress: bool = False) -> HistoryReport:
        run = run_timeline(self.scripts, now=self.now, release=self.release, progress=progress)
        return report(run)


def report(run: TimelineRun) -> HistoryReport:
    exchange_states = dict(
        Exchange.objects.values_list("state").annotate(n=Count("pk")).order_by("-n", "state")
    )
    session_states = dict(
        GroupSession.objects.values_list("status").annotate(n=Count("pk")).order_by("-n", "status")
    )
    return HistoryReport(
        exchanges=exchange_states,
        sessions=session_states,
        donations=Transfer.objects.filter(kind=TransferKind.DONATION).count(),
        transfers=Transfer.objects.count(),
        steps=run.steps,
        refused=sum(run.refused.values()),
        refusals=dict(sorted(run.refused.items())),
    )
