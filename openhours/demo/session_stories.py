"""The demo's group sessions: created, signed up for, delivered and answered, each step
through ``group_sessions.services``; automatic settlement is the scheduled job's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.utils import timezone

from openhours.accounts.models import User
from openhours.group_sessions import services as sessions
from openhours.posts.models import Post

from .content import history as words
from .content.history import SessionIdea
from .stories import Stories, hours
from .timeline import Context, Script


class SessionStories(Stories):
    """Plans and takes the steps of group sessions."""

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
        there), silent (someone doesn't answer: it settles automatically), or upcoming.

        ``include`` are people who sign up besides the ``attendees`` chosen at random.
        """
        script = self.script("group session", created)
        create = partial(self._create_session, idea=idea, giver=giver, starts=starts, offer=offer)
        script.then(timedelta(0), "create", create)
        last = self._plan_sign_ups(script, idea, created, starts, attendees, include)
        if outcome != "upcoming":
            after = starts - created - last
            self._plan_session_end(script, idea, after, attendees + len(include), outcome)
        return script

    def _plan_sign_ups(
        self,
        script: Script,
        idea: SessionIdea,
        created: datetime,
        starts: datetime,
        attendees: int,
        include: Sequence[User],
    ) -> timedelta:
        """Sign-ups, until two hours before it starts or until now if that's sooner; the
        people in ``include`` are placed among them at random. Returns when the last came."""
        rng = script.rng
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
        return done

    def _plan_session_end(
        self, script: Script, idea: SessionIdea, until_start: timedelta, answers: int, outcome: str
    ) -> None:
        """The giver records it a little after it ends (``until_start`` after the last
        sign-up, it starts), then the attendees answer, but for one who disputes or who
        stays silent, as ``outcome`` says."""
        rng = script.rng
        after = until_start + timedelta(minutes=idea.minutes) + hours(2, 30, rng)
        script.then(after, "record delivery", partial(self._record_session, idea=idea))
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

    # -- steps ------------------------------------------------------------------------------

    def _create_session(
        self,
        ctx: Context,
        *,
        idea: SessionIdea,
        giver: User | None,
        starts: datetime,
        offer: Post | None,
    ) -> bool | None:
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
