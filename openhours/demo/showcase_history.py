"""The stories of the two demo logins, so that signing in shows what the time bank does.

The demo member (Alex) has given and received help, corrected a time, paid some forward,
attended a group session and runs one soon; waiting for them are a proposal to answer, an
exchange to confirm and a proposal of their own. The coordinator has topped up the pool,
made grants (one to the wrong person, reversed), recorded exchanges for members who are
offline, resolved disputes, and has one dispute waiting.
"""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta

from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges import services as exchanges
from openhours.ledger import services as ledger
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance
from openhours.posts.models import Post

from .content import history as words
from .content.history import SESSIONS
from .content.showcase import MEMBER
from .history import History
from .timeline import Context, Script, Timing

PARTNERS = 14


def plan_showcase(history: History) -> None:
    _plan_pool(history)
    partners = _partners(history)
    if len(partners) < 2:
        return
    _plan_alex(history, partners)
    _plan_offline_records(history)
    _plan_disputes(history, partners)


def _partners(history: History) -> list[User]:
    """Members who joined well before Alex (four months ago) and are fairly active."""
    settled = [p for p in history.pool if p.joined_at < history.now - timedelta(days=130)]
    people = sorted(settled or history.pool, key=lambda p: (-p.weight, p.user.pk))
    chosen = people[: PARTNERS * 2]
    history.rng.shuffle(chosen)
    return [p.user for p in chosen[:PARTNERS]]


def _ago(history: History, days: float, *, hour: int = 10) -> datetime:
    moment = history.now - timedelta(days=days)
    return moment.replace(hour=hour, minute=history.rng.choice([0, 15, 30, 45]))


def _exchange(
    history: History,
    start: datetime,
    *,
    proposer: User,
    other: User,
    proposer_gives: bool,
    title: str,
    minutes: int,
    outcome: str,
    timing: Timing,
    message: str = "",
    thanks: str | None = None,
    say: dict[str, str] | None = None,
    post: Post | None = None,
) -> Script:
    script = history.script("exchange", start)

    def open_it(ctx: Context) -> None:
        ctx.minutes = minutes
        ctx.say.update(say or {})
        if post is not None:
            ctx.exchange = exchanges.respond_to_post(responder=proposer, post=post, message=message)
        else:
            ctx.exchange = exchanges.propose_to_member(
                proposer=proposer,
                other=other,
                proposer_gives=proposer_gives,
                title=title,
                message=message,
                estimated_minutes=minutes,
            )
        history.hold(ctx, ctx.exchange.receiver, minutes)

    script.then(timedelta(0), "propose", open_it)
    history.add_exchange_steps(script, outcome, timing, thanks=thanks)
    return script


def _days(n: float) -> timedelta:
    return timedelta(days=n)


def _plan_alex(history: History, partners: list[User]) -> None:
    """The demo member's six months: given and received, waiting, a donation, sessions."""
    alex = history.member
    posts = {p.title: p for p in Post.objects.filter(author=alex)}
    power_bi, _business_case, back_pain = (posts.get(p.title) for p in MEMBER.posts)
    _plan_alex_settled(history, alex, partners, back_pain)
    _plan_alex_waiting(history, alex, partners, power_bi)
    _plan_alex_donation(history, alex)
    _plan_alex_sessions(history, alex, partners, back_pain)


def _plan_alex_settled(
    history: History, alex: User, partners: list[User], back_pain: Post | None
) -> None:
    """Exchanges Alex gave and received, confirmed (one corrected first)."""
    quick = Timing(accept=timedelta(hours=5), deliver=_days(6), answer=_days(1))
    for (title, minutes, thanks), days_ago, partner in zip(
        words.ALEX_GAVE, (100, 70, 40), partners, strict=False
    ):
        _exchange(
            history,
            _ago(history, days_ago),
            proposer=partner,
            other=alex,
            proposer_gives=False,
            title=title,
            minutes=minutes,
            outcome="confirmed",
            timing=quick,
            message=words.ASKING_FOR_HELP[days_ago % len(words.ASKING_FOR_HELP)],
            thanks=thanks,
        )
    for (title, minutes, thanks), days_ago, partner, outcome in zip(
        words.ALEX_RECEIVED, (85, 55), partners[3:], ("confirmed", "corrected"), strict=False
    ):
        _exchange(
            history,
            _ago(history, days_ago),
            proposer=alex,
            other=partner,
            proposer_gives=False,
            title=title,
            minutes=minutes,
            outcome=outcome,
            timing=Timing(
                accept=timedelta(hours=20), deliver=_days(8), answer=_days(1), settle=_days(1)
            ),
            message=words.ASKING_FOR_HELP[0],
            thanks=thanks,
            say={"correct": words.ALEX_CORRECTION},
        )
    if back_pain is not None:  # someone takes up Alex's offer (posted twelve days ago)
        _exchange(
            history,
            _ago(history, 10, hour=11),
            proposer=partners[5 % len(partners)],
            other=alex,
            proposer_gives=False,
            title=back_pain.title,
            minutes=60,
            outcome="confirmed",
            timing=Timing(accept=timedelta(hours=6), deliver=_days(4.5), answer=_days(1)),
            message=words.ASKING_FOR_HELP[3],
            thanks=words.THANKS[5],
            post=back_pain,
        )


def _plan_alex_waiting(
    history: History, alex: User, partners: list[User], power_bi: Post | None
) -> None:
    """What waits for Alex (time to confirm, a proposal to answer), and Alex's own proposal."""
    # Waiting for Alex: time to confirm ...
    _exchange(
        history,
        _ago(history, 12),
        proposer=alex,
        other=partners[6 % len(partners)],
        proposer_gives=False,
        title=words.ALEX_AWAITING,
        minutes=120,
        outcome="delivered",
        timing=Timing(accept=_days(1), deliver=_days(9.5)),
        message=words.ASKING_FOR_HELP[2],
        say={"record time": words.ALEX_AWAITING_NOTE},
    )
    # ... and a proposal to answer, on Alex's Power BI request (posted three days ago).
    if power_bi is not None:
        _exchange(
            history,
            _ago(history, 1, hour=9),
            proposer=partners[7 % len(partners)],
            other=alex,
            proposer_gives=True,
            title=power_bi.title,
            minutes=120,
            outcome="proposed",
            timing=Timing(accept=None, chat=False),
            message=words.ALEX_POWER_BI_REPLY,
            post=power_bi,
        )
    # Alex's own proposal, waiting for the other person.
    _exchange(
        history,
        _ago(history, 2, hour=14),
        proposer=alex,
        other=partners[8 % len(partners)],
        proposer_gives=True,
        title=words.ALEX_OFFERING,
        minutes=45,
        outcome="proposed",
        timing=Timing(accept=None, chat=False),
        message=words.ALEX_OFFERING_MESSAGE,
    )


def _plan_alex_donation(history: History, alex: User) -> None:
    def donate(_: Context) -> None:
        ledger.donate(
            donor=alex, minutes=60, idempotency_key="demo:alex:donation", memo=words.ALEX_DONATION
        )

    history.script("donation", _ago(history, 45, hour=17)).then(timedelta(0), "donate", donate)


def _plan_alex_sessions(
    history: History, alex: User, partners: list[User], back_pain: Post | None
) -> None:
    # Group sessions: one attended, one to go to, one Alex runs from their offer.
    spc, business_case = SESSIONS[0], SESSIONS[1]
    attended = _ago(history, 35, hour=12)
    history.add_session(
        spc,
        giver=partners[9 % len(partners)],
        created=attended - _days(14),
        starts=attended,
        attendees=5,
        outcome="settled",
        include=[alex],
    )
    soon = (history.now + _days(6)).replace(hour=12, minute=30, second=0, microsecond=0)
    history.add_session(
        business_case,
        giver=partners[10 % len(partners)],
        created=_ago(history, 6),
        starts=soon,
        attendees=4,
        outcome="upcoming",
        include=[alex],
    )
    if back_pain is not None:
        later = (history.now + _days(9)).replace(hour=13, minute=0, second=0, microsecond=0)
        history.add_session(
            words.ALEX_SESSION,
            giver=alex,
            created=_ago(history, 8),
            starts=later,
            attendees=4,
            outcome="upcoming",
            offer=back_pain,
        )


def _plan_pool(history: History) -> None:
    coordinator = history.coordinator
    launch = words.POOL_LAUNCH.format(icb=history.icb_name)
    _top_up(history, _ago(history, 175, hour=9), 1500, launch, "demo:pool:launch")
    _top_up(history, _ago(history, 60, hour=9), 600, words.POOL_WINTER, "demo:pool:winter")

    for n, (days_ago, reason) in enumerate(
        zip((150, 110, 45, 12), words.GRANT_REASONS, strict=True)
    ):
        _grant(history, _ago(history, days_ago, hour=15), reason, f"demo:grant:{n}")

    # A grant to the wrong person, reversed the same afternoon and made again.
    made: dict[str, Transfer] = {}

    def wrong(ctx: Context) -> bool | None:
        person = _newcomer(history, ctx.rng, timezone.now())
        if person is None:
            return False
        made["transfer"] = ledger.coordinator_grant(
            coordinator=coordinator,
            to_user=person,
            minutes=180,
            reason=words.WRONG_GRANT,
            idempotency_key="demo:grant:wrong",
        )
        return None

    def reverse(_: Context) -> None:
        ledger.reverse_transfer(
            transfer=made["transfer"],
            actor=coordinator,
            reason=words.WRONG_GRANT_REVERSAL,
            idempotency_key="demo:grant:wrong:reversal",
        )

    script = history.script("pool", _ago(history, 95, hour=11))
    script.then(timedelta(0), "grant", wrong)
    script.then(timedelta(hours=3), "reverse", reverse)
    _grant(history, _ago(history, 95, hour=14), words.WRONG_GRANT, "demo:grant:right")


def _top_up(history: History, start: datetime, minutes: int, reason: str, key: str) -> None:
    def top_up(_: Context) -> None:
        ledger.top_up_pool(
            coordinator=history.coordinator, minutes=minutes, reason=reason, idempotency_key=key
        )

    history.script("pool", start).then(timedelta(0), "top up", top_up)


def _grant(history: History, start: datetime, reason: str, key: str) -> None:
    def grant(ctx: Context) -> bool | None:
        person = _newcomer(history, ctx.rng, timezone.now())
        if person is None:
            return False
        ledger.coordinator_grant(
            coordinator=history.coordinator,
            to_user=person,
            minutes=ctx.rng.choice([60, 120, 180]),
            reason=reason,
            idempotency_key=key,
        )
        return None

    history.script("pool", start).then(timedelta(0), "grant", grant)


def _newcomer(history: History, rng: random.Random, at: datetime) -> User | None:
    """One of the last members to join before ``at`` whose balance is low."""
    joined = bisect.bisect_left([p.joined_at for p in history.pool], at - timedelta(days=1))
    recent = [p.user for p in history.pool[max(0, joined - 15) : joined]]
    rng.shuffle(recent)
    return next((u for u in recent if balance(u) <= 180), None)


def _plan_offline_records(history: History) -> None:
    for n, days_ago in enumerate((150, 80, 20)):

        def record(ctx: Context, n: int = n) -> bool | None:
            at = timezone.now()
            receiver = history.pick(ctx.rng, at, need=120)
            giver = history.pick(ctx.rng, at, exclude={receiver.pk}, need=0) if receiver else None
            if receiver is None or giver is None:
                return False
            exchanges.record_offline_exchange(
                coordinator=history.coordinator,
                giver=giver,
                receiver=receiver,
                minutes=ctx.rng.choice([60, 90, 120]),
                delivered_on=timezone.localdate() - timedelta(days=3),
                title=history.titles[ctx.rng.randrange(len(history.titles))],
                reason=words.OFFLINE_REASONS[n % len(words.OFFLINE_REASONS)],
            )
            return None

        history.script("offline record", _ago(history, days_ago, hour=16)).then(
            timedelta(0), "record", record
        )


def _plan_disputes(history: History, partners: list[User]) -> None:
    """One dispute resolved a month ago, one waiting for the coordinator now."""
    first, second = partners[11 % len(partners)], partners[12 % len(partners)]
    _exchange(
        history,
        _ago(history, 40),
        proposer=first,
        other=second,
        proposer_gives=False,
        title=history.titles[0],
        minutes=60,
        outcome="disputed_cancelled",
        timing=Timing(accept=_days(1), deliver=_days(5), answer=_days(1), settle=_days(2)),
        message=words.ASKING_FOR_HELP[1],
        say={"dispute": words.DISPUTE_REASONS[1]},
    )
    _exchange(
        history,
        _ago(history, 9),
        proposer=second,
        other=first,
        proposer_gives=False,
        title=words.OPEN_DISPUTE_TITLE,
        minutes=60,
        outcome="disputed",
        timing=Timing(accept=_days(1), deliver=_days(5), answer=_days(1.5)),
        message=words.ASKING_FOR_HELP[4],
        say={"dispute": words.OPEN_DISPUTE_REASON},
    )
