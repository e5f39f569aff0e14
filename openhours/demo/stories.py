"""What every demo story shares: the clock, the seeded random, who may take part, and the
minutes set aside for stories in progress.

``History`` (``history``) plans and runs the stories; the steps of an exchange
(``exchange_stories``) and of a group session (``session_stories``) build on this base, so
each module holds one kind of story and none imports another's.

Who takes part is chosen when a story starts, among members who had joined by then and,
for whoever will pay, who can still spend the minutes. Minutes promised to stories still
in progress are set aside (``hold``), so a busy receiver is not signed up for more help
than their balance allows.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from openhours.accounts.models import User
from openhours.ledger.selectors import spendable_minutes
from openhours.posts.models import Post

from .timeline import Context, Script

HISTORY_DAYS = 182
RESPONSE_WINDOW = timedelta(days=21)  # members answer posts up to three weeks old
MARGIN = 60  # minutes a payer keeps in hand above the lower limit


@dataclass(frozen=True)
class Participant:
    user: User
    joined_at: datetime
    weight: float  # how active


def hours(low: float, high: float, rng: random.Random) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def quarter_hours(minutes: float, *, low: int = 15, high: int = 480) -> int:
    return int(min(max(round(minutes / 15) * 15, low), high))


class Stories:
    """The people, posts and scripts of one history, and how a story chooses its people."""

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

    def script(self, kind: str, start: datetime, *, daytime: bool = True) -> Script:
        script = Script(kind, start, random.Random(self.rng.getrandbits(64)), daytime=daytime)
        self.scripts.append(script)
        return script

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
