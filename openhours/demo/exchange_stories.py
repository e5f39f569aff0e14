"""The demo's one-to-one exchanges, from proposal to thanks, each step through
``exchanges.services`` as the member or coordinator who would take it.

``add_exchange_steps`` plans the steps after a proposal for an exchange that ends in a
given outcome (with declines, cancellations, corrections and disputes); the showcase
stories (``showcase_history``) use it for the demo logins' own exchanges.
"""

from __future__ import annotations

import random
from datetime import timedelta
from functools import partial

from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges import services as exchanges
from openhours.exchanges.models import Helped
from openhours.posts.models import Kind

from .content import history as words
from .stories import Stories, hours, quarter_hours
from .timeline import Context, Script, Timing


class ExchangeStories(Stories):
    """Plans and takes the steps of one-to-one exchanges."""

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
