"""Six months of time-bank history for the demo, written only through the real services.

Joining grants, one-to-one exchanges (from proposal to thanks, with declines,
cancellations, corrections and disputes), group sessions, donations and the coordinator's
pool work are planned as scripts (``timeline``) with a seeded random, then run in time
order with the clock moved to each step's moment. Nothing is written to the exchange or
ledger tables directly, and no limit is overridden: a step a service refuses ends its
story and is counted in the report.

Who takes part is chosen when a story starts, among members who had joined by then and,
for whoever will pay, who can still spend the minutes. Minutes promised to stories still
in progress are set aside (``_hold``), so a busy receiver is not signed up for more help
than their balance allows.

The two demo logins get stories of their own (``showcase_history``), so that signing in
shows a full statement and things to do. Those build on ``History``, so this module does not
import them: the caller hands them to ``plan`` (``seeding`` does), and what both modules
share besides ``History`` (``Timing``, ``Script``) lives in ``timeline``.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Count
from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges import services as exchanges
from openhours.exchanges.models import Exchange, Helped
from openhours.group_sessions import services as sessions
from openhours.group_sessions.models import GroupSession
from openhours.ledger import services as ledger
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.selectors import balance, spendable_minutes
from openhours.notifications.services import mark_all_read
from openhours.posts.models import Kind, Post

from .content import history as words
from .content.history import SESSIONS, SessionIdea
from .timeline import Context, Script, TimelineRun, Timing, run_timeline

HISTORY_DAYS = 182
HISTORY_MEMBER_LIMIT = 1000  # members beyond this (benchmark sizes) have no history
EXCHANGES_PER_MEMBER = 0.9
MAX_EXCHANGES = 450
RESPONSE_WINDOW = timedelta(days=21)  # members answer posts up to three weeks old
MARGIN = 60  # minutes a payer keeps in hand above the lower limit
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
class Participant:
    user: User
    joined_at: datetime
    weight: float  # how active


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


def hours(low: float, high: float, rng: random.Random) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def quarter_hours(minutes: float, *, low: int = 15, high: int = 480) -> int:
    return int(min(max(round(minutes / 15) * 15, low), high))


class History:
    """Plans the stories, then runs them with ``run``."""

    def __init__(
        self,
        *,
        participants: Sequence[Participant],
        coordinator: User,
        member: User,
        posts: Sequence[Post],
        seed: int,
        now: datetime,
        icb_name: str,
    ) -> None:
        self.rng = random.Random(f"history:{seed}")
        self.now = now
        self.start = now - timedelta(days=HISTORY_DAYS)
        self.icb_name = icb_name
        self.coordinator = coordinator
        self.member = member
        self.everyone = list(participants)
        showcase = {coordinator.pk, member.pk}
        # Random stories draw from everyone but the demo logins, whose stories are written
        # by hand; sorted by joining so "joined by then" is a prefix.
        self.pool = sorted(
            (p for p in participants if p.user.pk not in showcase),
            key=lambda p: (p.joined_at, p.user.pk),
        )
        self._joined = [p.joined_at for p in self.pool]
        self._cum = list(itertools.accumulate(p.weight + 0.5 for p in self.pool))
        by_author = {p.user.pk: p.user for p in self.pool}
        self.posts = sorted(
            (p for p in posts if p.author_id in by_author), key=lambda p: (p.created_at, p.pk)
        )
        for post in self.posts:
            post.author = by_author[post.author_id]
        self._posted = [p.created_at for p in self.posts]
        self.titles = sorted({p.title for p in posts}) or ["Help with an improvement project"]
        self._held: Counter[int] = Counter()
        self._keys = itertools.count(1)
        self.scripts: list[Script] = []

    # -- planning -----------------------------------------------------------------------

    def script(self, kind: str, start: datetime, *, daytime: bool = True) -> Script:
        script = Script(kind, start, random.Random(self.rng.getrandbits(64)), daytime=daytime)
        self.scripts.append(script)
        return script

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

    def random_timing(self, rng: random.Random) -> Timing:
        return Timing(
            accept=hours(2, 60, rng),
            deliver=hours(2 * 24, 18 * 24, rng),
            answer=hours(3, 5 * 24, rng),
            settle=hours(24, 6 * 24, rng),
            chat=rng.random() < 0.7,
        )

    def add_exchange_steps(
        self, script: Script, outcome: str, timing: Timing, *, thanks: str | None = None
    ) -> None:
        """The steps after the proposal, for an exchange that ends in ``outcome``.

        ``proposed``, ``accepted``, ``delivered`` and ``disputed`` stop in that state.
        """
        rng = script.rng
        if timing.chat and rng.random() < 0.6:
            script.then(hours(1, 20, rng), "reply", self._say_from_asked)
        if outcome == "proposed" or timing.accept is None:
            return
        if outcome == "declined":
            script.then(timing.accept, "decline", self._decline)
            return
        if outcome == "cancelled":
            script.then(timing.accept, "cancel", self._cancel)
            return
        script.then(timing.accept, "accept", self._accept)
        if timing.chat:
            script.then(hours(1, 24, rng), "arrange", self._arrange)
        if outcome == "cancelled_after_accepting":
            script.then(hours(24, 7 * 24, rng), "cancel", self._cancel)
            return
        if outcome == "accepted" or timing.deliver is None:
            return
        script.then(timing.deliver, "record time", self._deliver)
        if outcome in ("delivered", "auto_confirmed") or timing.answer is None:
            if outcome == "auto_confirmed":
                script.then(timedelta(0), "release", self._release_step)
            return
        if outcome.startswith("correct"):
            script.then(timing.answer, "correct", self._propose_correction)
            if outcome == "corrected":
                script.then(
                    timing.settle or hours(5, 48, rng), "accept correction", self._accept_correction
                )
            else:
                script.then(hours(5, 48, rng), "reject correction", self._reject_correction)
        elif outcome.startswith("disputed"):
            script.then(timing.answer, "dispute", self._dispute)
        else:
            script.then(timing.answer, "confirm", self._confirm)
        if outcome == "disputed":
            return
        if outcome in ("correction_rejected", "disputed_confirmed"):
            script.then(timing.settle or hours(24, 96, rng), "resolve", self._resolve_confirming)
        elif outcome == "disputed_cancelled":
            script.then(timing.settle or hours(24, 96, rng), "resolve", self._resolve_cancelling)
            return
        script.then(timedelta(0), "release", self._release_step)
        if thanks is not None or rng.random() < 0.65:
            script.then(hours(1, 48, rng), "thanks", partial(self._thank, body=thanks))
        if rng.random() < 0.25:
            script.then(hours(1, 24, rng), "thanks back", self._thank_back)
        if rng.random() < 0.5:
            script.then(hours(1, 72, rng), "feedback", self._feedback)

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

    def add_session(
        self,
        idea: SessionIdea,
        *,
        giver: User | None,
        created: datetime,
        starts: datetime,
        attendees: int,
        outcome: str,
        include: Sequence[User] = (),
        offer: Post | None = None,
    ) -> Script:
        """A group session; ``outcome`` is settled, disputed (one attendee says they weren't
        there), silent (someone doesn't answer: it settles automatically), or upcoming."""
        script = self.script("group session", created)
        rng = script.rng

        def create(ctx: Context) -> bool | None:
            runner = giver or self.pick(ctx.rng, timezone.now(), need=0)
            if runner is None:
                return False
            ctx.session = sessions.create_session(
                giver=runner,
                details=sessions.SessionDetails(
                    title=idea.title,
                    description=idea.description,
                    starts_at=starts,
                    planned_minutes=idea.minutes,
                    capacity=idea.capacity,
                    online=idea.online,
                    location=idea.location,
                    offer=offer,
                ),
            )
            return None

        script.then(timedelta(0), "create", create)
        # Sign-ups come in until two hours before it starts, or until now if that's sooner.
        window = (min(starts, self.now) - created) - timedelta(hours=2)
        offsets = sorted(rng.uniform(0.05, 1) for _ in range(attendees + len(include)))
        fixed = list(include)
        done = timedelta(0)
        for offset in offsets:
            when = window * offset
            person = fixed.pop(0) if fixed and rng.random() < 0.5 else None
            script.then(when - done, "sign up", partial(self._sign_up, idea=idea, person=person))
            done = when
        for person in fixed:  # any not placed yet
            script.then(
                timedelta(minutes=10), "sign up", partial(self._sign_up, idea=idea, person=person)
            )
        if outcome == "upcoming":
            return script
        after = starts - created - done + timedelta(minutes=idea.minutes) + hours(2, 30, rng)
        script.then(after, "record delivery", partial(self._record_session, idea=idea))
        answers = attendees + len(include)
        disputer = rng.randrange(answers) if outcome == "disputed" else -1
        silent = rng.randrange(answers) if outcome == "silent" else -1
        for i in range(answers):
            if i == silent:
                continue
            dispute = i == disputer
            script.then(
                hours(1, 60, rng),
                "answer",
                partial(self._answer_session, index=i, disputed=dispute),
            )
        script.then(timedelta(0), "release", self._release_step)
        return script

    # -- choosing people ------------------------------------------------------------------

    def pick(
        self,
        rng: random.Random,
        at: datetime,
        *,
        exclude: set[int] | frozenset[int] = frozenset(),
        need: int,
        tries: int = 8,
    ) -> User | None:
        """A member who had joined a day before ``at`` and can spend ``need`` more minutes
        (beyond what their stories in progress have set aside), favouring the active."""
        joined = bisect.bisect_left(self._joined, at - timedelta(days=1))
        if joined == 0:
            return None
        for _ in range(tries):
            person = rng.choices(self.pool[:joined], cum_weights=self._cum[:joined])[0].user
            if person.pk in exclude:
                continue
            if need and not self.can_spend(person, need):
                continue
            return person
        return None

    def can_spend(self, user: User, minutes: int) -> bool:
        return spendable_minutes(user) - self._held[user.pk] >= minutes + MARGIN

    def hold(self, ctx: Context, user: User, minutes: int) -> None:
        self._held[user.pk] += minutes
        ctx.holds.append((user.pk, minutes))

    def release(self, ctx: Context) -> None:
        for user_id, minutes in ctx.holds:
            self._held[user_id] -= minutes
        ctx.holds.clear()

    def _release_step(self, ctx: Context) -> None:
        self.release(ctx)

    def _recent_post(self, rng: random.Random, at: datetime) -> Post | None:
        low = bisect.bisect_left(self._posted, at - RESPONSE_WINDOW)
        high = bisect.bisect_left(self._posted, at - timedelta(hours=1))
        return self.posts[rng.randrange(low, high)] if high > low else None

    # -- exchange steps -----------------------------------------------------------------

    def _open_random_exchange(self, ctx: Context) -> bool | None:
        rng, at = ctx.rng, timezone.now()
        minutes = quarter_hours(rng.choice([30, 45, 60, 60, 60, 90, 90, 120, 120, 180, 240]))
        post = self._recent_post(rng, at) if rng.random() < 0.75 else None
        payer: User | None
        if post is not None:
            author = post.author
            if post.kind == Kind.REQUEST:
                if not self.can_spend(author, minutes):
                    return False
                responder = self.pick(rng, at, exclude={author.pk}, need=0)
                payer = author
            else:
                responder = self.pick(rng, at, exclude={author.pk}, need=minutes)
                payer = responder
            if responder is None or payer is None:
                return False
            gives = post.kind == Kind.REQUEST
            ctx.exchange = exchanges.respond_to_post(
                responder=responder,
                post=post,
                message=rng.choice(words.OFFERING_HELP if gives else words.ASKING_FOR_HELP),
            )
        else:
            receiver = self.pick(rng, at, need=minutes)
            giver = self.pick(rng, at, exclude={receiver.pk}, need=0) if receiver else None
            if receiver is None or giver is None:
                return False
            gives = rng.random() < 0.4
            proposer, other = (giver, receiver) if gives else (receiver, giver)
            ctx.exchange = exchanges.propose_to_member(
                proposer=proposer,
                other=other,
                proposer_gives=gives,
                title=rng.choice(self.titles),
                message=rng.choice(words.OFFERING_HELP if gives else words.ASKING_FOR_HELP),
                estimated_minutes=minutes,
            )
            payer = receiver
        self.hold(ctx, payer, minutes)
        ctx.people = [ctx.exchange.giver, ctx.exchange.receiver]
        return None

    def _say_from_asked(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        exchanges.post_message(
            exchange=ex,
            author=ex.other_party(ex.proposed_by),
            body=ctx.say.get("reply") or ctx.rng.choice(words.ARRANGING),
        )

    def _arrange(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        exchanges.post_message(
            exchange=ex,
            author=ctx.rng.choice([ex.giver, ex.receiver]),
            body=ctx.rng.choice(words.ARRANGING),
        )

    def _accept(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.accept_exchange(exchange=ex, actor=ex.other_party(ex.proposed_by))

    def _decline(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.decline_exchange(
            exchange=ex,
            actor=ex.other_party(ex.proposed_by),
            reason=ctx.rng.choice(words.DECLINE_REASONS),
        )
        self.release(ctx)

    def _cancel(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.cancel_exchange(
            exchange=ex, actor=ex.proposed_by, reason=ctx.rng.choice(words.CANCEL_REASONS)
        )
        self.release(ctx)

    def _deliver(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        planned = ex.estimated_minutes or 60
        minutes = ctx.minutes or quarter_hours(
            min(planned, 240) * ctx.rng.uniform(0.75, 1.2), high=240
        )
        ctx.exchange = exchanges.record_delivery(
            exchange=ex,
            actor=ex.giver,
            minutes=minutes,
            delivered_on=timezone.localdate() - timedelta(days=ctx.rng.choice([0, 0, 0, 1, 2])),
            note=ctx.say.get("record time") or ctx.rng.choice(words.DELIVERY_NOTES),
        )

    def _confirm(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.confirm_exchange(exchange=ex, actor=ex.receiver)

    def _propose_correction(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        recorded = ex.minutes or 60
        corrected = recorded - 15 if recorded > 30 else recorded + 15
        if ctx.rng.random() < 0.5 and recorded >= 90:
            corrected = recorded - 30
        ctx.exchange = exchanges.propose_correction(
            exchange=ex,
            actor=ex.receiver,
            minutes=corrected,
            reason=ctx.say.get("correct") or ctx.rng.choice(words.CORRECTION_REASONS),
        )

    def _accept_correction(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.accept_correction(exchange=ex, actor=ex.giver)

    def _reject_correction(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.reject_correction(
            exchange=ex, actor=ex.giver, reason=ctx.rng.choice(words.CORRECTION_REJECTIONS)
        )

    def _dispute(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.dispute_exchange(
            exchange=ex,
            actor=ex.receiver,
            reason=ctx.say.get("dispute") or ctx.rng.choice(words.DISPUTE_REASONS),
        )

    def _resolve_confirming(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        ctx.exchange = exchanges.resolve_by_confirming(
            exchange=ex,
            coordinator=self.coordinator,
            minutes=ex.corrected_minutes or ex.minutes or 60,
            reason=ctx.rng.choice(words.RESOLVE_CONFIRMING),
        )

    def _resolve_cancelling(self, ctx: Context) -> None:
        ctx.exchange = exchanges.resolve_by_cancelling(
            exchange=ctx.the_exchange,
            coordinator=self.coordinator,
            reason=ctx.rng.choice(words.RESOLVE_CANCELLING),
        )
        self.release(ctx)

    def _thank(self, ctx: Context, *, body: str | None) -> None:
        ex = ctx.the_exchange
        exchanges.leave_thanks(
            exchange=ex, author=ex.receiver, body=body or ctx.rng.choice(words.THANKS)
        )

    def _thank_back(self, ctx: Context) -> None:
        ex = ctx.the_exchange
        exchanges.leave_thanks(
            exchange=ex, author=ex.giver, body=ctx.rng.choice(words.THANKS_TO_RECEIVER)
        )

    def _feedback(self, ctx: Context) -> None:
        helped = ctx.rng.choices([Helped.YES, Helped.PARTLY, Helped.NO], [0.8, 0.17, 0.03])[0]
        exchanges.leave_feedback(
            exchange=ctx.the_exchange,
            author=ctx.the_exchange.receiver,
            helped=helped,
            comment=ctx.rng.choice(words.FEEDBACK_COMMENTS),
        )

    # -- group session steps --------------------------------------------------------------

    def _sign_up(self, ctx: Context, *, idea: SessionIdea, person: User | None) -> bool | None:
        session = ctx.the_session
        taken = {session.giver_id, *(p.pk for p in ctx.people)}
        if person is None:
            person = self.pick(ctx.rng, timezone.now(), exclude=taken, need=idea.minutes)
            if person is None:
                return None  # nobody else free: the session goes ahead smaller
        sessions.sign_up(session=session, member=person)
        ctx.people.append(person)
        self.hold(ctx, person, idea.minutes)
        return None

    def _record_session(self, ctx: Context, *, idea: SessionIdea) -> bool | None:
        if not ctx.people:
            sessions.cancel_session(session=ctx.the_session, actor=ctx.the_session.giver)
            return False
        present = list(ctx.people)
        if len(present) > 3 and ctx.rng.random() < 0.4:
            present.pop(ctx.rng.randrange(1, len(present)))  # someone was called away
        ctx.people = present
        preparation = ctx.rng.choice([0, 15, 30, 30, 60])
        ctx.session = sessions.record_delivery(
            session=ctx.the_session,
            giver=ctx.the_session.giver,
            delivered_minutes=idea.minutes,
            preparation_minutes=min(preparation, idea.minutes),
            attendees=present,
        )
        return None

    def _answer_session(self, ctx: Context, *, index: int, disputed: bool) -> None:
        if index >= len(ctx.people):
            return
        member = ctx.people[index]
        if disputed:
            sessions.dispute_attendance(
                session=ctx.the_session, member=member, reason=words.SESSION_DISPUTE
            )
        else:
            sessions.confirm_attendance(session=ctx.the_session, member=member)

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
