"""What members do on an exchange: start one, take its steps, talk, thank, give feedback.

Destructive steps (decline, cancel, dispute, reject a correction) are a GET page that
explains and asks, then a POST that does it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.models import User
from openhours.accounts.permissions import View, member_required
from openhours.core.errors import DomainError
from openhours.members.selectors import get_profile_for_viewer
from openhours.posts.models import Kind
from openhours.posts.selectors import get_post_for_viewer

from .. import selectors, services
from ..forms import (
    CorrectionForm,
    DeliverForm,
    FeedbackForm,
    MessageForm,
    ProposeForm,
    ReasonForm,
    StartExchangeForm,
    ThanksForm,
    to_minutes,
)
from ..models import Exchange
from ..permissions import available_actions
from ._submit import named, run, status, submit, to_detail
from .pages import detail_context

# Starting an exchange ----------------------------------------------------------------


class Hello(TypedDict):
    """What every proposal form asks: a message, and an estimate of the time; and the
    form's key, so the same form posted twice proposes once."""

    message: str
    estimated_minutes: int | None
    proposal_key: str


def _propose(
    request: MemberRequest,
    form_class: type[ProposeForm],
    send: Callable[[dict[str, Any], Hello], Exchange],
    *,
    other: User,
    **context: Any,
) -> HttpResponse:
    """The page that proposes an exchange to ``other``, and the POST that ``send``s it."""
    form = form_class(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: send(
            data,
            {
                "message": data["message"],
                "estimated_minutes": form.estimated_minutes(),
                "proposal_key": form.key(request.user),
            },
        ),
        success=f"Sent. We've asked {other} to agree it.",
        then=to_detail,
    )
    return done or render(
        request,
        "exchanges/propose.html",
        {"form": form, "other": other, **context, "nav": "exchanges"},
        status=status(form),
    )


@member_required
def respond(request: MemberRequest, post_id: int) -> HttpResponse:
    """ "I can help" with a request, or "I'd like this" for an offer."""
    post = get_post_for_viewer(post_id, request.user)
    if request.method == "GET" and (post.author_id == request.user.pk or not post.is_open):
        messages.error(request, "You can't respond to this post.")
        return redirect("posts:detail", post_id=post.pk)
    return _propose(
        request,
        ProposeForm,
        lambda _, hello: services.respond_to_post(responder=request.user, post=post, **hello),
        other=post.author,
        post=post,
        heading="Offer your help" if post.kind == Kind.REQUEST else "Ask for this",
    )


@member_required
def start(request: MemberRequest, user_id: int) -> HttpResponse:
    """Start an exchange directly with another member, from their profile."""
    profile = get_profile_for_viewer(user_id, request.user)
    other = profile.user
    if other.pk == request.user.pk:
        messages.error(request, "You can't start an exchange with yourself.")
        return redirect("members:detail", user_id=other.pk)
    return _propose(
        request,
        StartExchangeForm,
        lambda data, hello: services.propose_to_member(
            proposer=request.user,
            other=other,
            proposer_gives=data["direction"] == "give",
            title=data["title"],
            **hello,
        ),
        other=other,
        heading=f"Start an exchange with {other}",
    )


# One-click steps ---------------------------------------------------------------------


class OneClick(Protocol):
    def __call__(self, *, exchange: Exchange, actor: User) -> Exchange: ...


def _one_click(name: str, service: OneClick, success: str) -> View:
    """A POST that takes one step with no form; a refusal is a message on the exchange."""

    def view(request: MemberRequest, exchange_id: int) -> HttpResponse:
        exchange = selectors.get_exchange_for_member(exchange_id, request.user)
        try:
            result = service(exchange=exchange, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return to_detail(exchange)
        messages.success(request, success)
        return to_detail(result)

    return member_required(require_POST(named(view, name)))


accept = _one_click(
    "accept", services.accept_exchange, "Agreed. You can now see each other's contact details."
)
confirm = _one_click(
    "confirm",
    services.confirm_exchange,
    "Confirmed. The time credits have moved. Thank you for recording it.",
)
accept_correction = _one_click(
    "accept_correction",
    services.accept_correction,
    "Correction accepted. The exchange is confirmed.",
)
repeat = _one_click(
    "repeat",
    services.repeat_exchange,
    "A new exchange has been proposed. We've asked the other person to agree it.",
)


# Steps with a form (and a confirmation step for the destructive ones) -----------------


@dataclass(frozen=True)
class Step:
    action: str
    heading: str
    intro: str
    button: str
    success: str
    make_form: Callable[[Any], forms.Form]
    run: Callable[[Exchange, Any, dict[str, Any]], Exchange]
    danger: bool = False


class WithReason(Protocol):
    def __call__(self, *, exchange: Exchange, actor: User, reason: str) -> Exchange: ...


def _asks_why(
    service: WithReason, *, action: str, label: str, required: bool = True, **words: str
) -> Step:
    """A destructive step whose form asks only for a reason (``words``: the heading,
    intro, button and success message)."""
    return Step(
        action=action,
        danger=True,
        make_form=lambda data: ReasonForm(data, required=required, label=label),
        run=lambda ex, user, d: service(exchange=ex, actor=user, reason=d["reason"]),
        **words,
    )


STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        _asks_why(
            services.decline_exchange,
            action="decline",
            label="Reason (optional)",
            required=False,
            heading="Decline this exchange?",
            intro="The other person will be told you can't take it on. This can't be undone.",
            button="Yes, decline it",
            success="Declined. We've let them know.",
        ),
        _asks_why(
            services.cancel_exchange,
            action="cancel",
            label="Reason (optional)",
            required=False,
            heading="Cancel this exchange?",
            intro="No time will be recorded and no credits will move. This can't be undone.",
            button="Yes, cancel it",
            success="Cancelled. We've let the other person know.",
        ),
        _asks_why(
            services.dispute_exchange,
            action="dispute",
            label="What went wrong?",
            heading="Dispute this exchange?",
            intro=(
                "A coordinator will look at the recorded time, read your conversation and "
                "decide. No credits move until they do."
            ),
            button="Yes, ask a coordinator",
            success="Disputed. A coordinator will be in touch.",
        ),
        _asks_why(
            services.reject_correction,
            action="reject_correction",
            label="Why do you disagree?",
            heading="Reject the correction?",
            intro=(
                "The exchange will go to a coordinator, who will read your conversation and "
                "decide the time."
            ),
            button="Yes, reject it",
            success="Rejected. A coordinator will help you both agree.",
        ),
        Step(
            action="deliver",
            heading="Record the time you gave",
            intro="The other person then confirms it, and the time credits move to you.",
            button="Record the time",
            success="Recorded. We've asked them to confirm it.",
            make_form=lambda data: DeliverForm(data),
            run=lambda ex, user, d: services.record_delivery(
                exchange=ex,
                actor=user,
                minutes=to_minutes(d["hours"]) or 0,
                delivered_on=d["delivered_on"],
                note=d["note"],
            ),
        ),
        Step(
            action="correct",
            heading="Suggest a different time",
            intro="The person who gave the time can accept your correction or reject it.",
            button="Suggest this time",
            success="Sent. We've asked them to answer your correction.",
            make_form=lambda data: CorrectionForm(data),
            run=lambda ex, user, d: services.propose_correction(
                exchange=ex, actor=user, minutes=to_minutes(d["hours"]) or 0, reason=d["reason"]
            ),
        ),
    )
}


def _step(step: Step) -> View:
    """The page that asks (GET) and the POST that takes the step through its form."""

    def view(request: MemberRequest, exchange_id: int) -> HttpResponse:
        exchange = selectors.get_exchange_for_member(exchange_id, request.user)
        if request.method == "GET" and step.action not in available_actions(request.user, exchange):
            messages.error(request, "That step isn't open to you on this exchange now.")
            return to_detail(exchange)
        form = step.make_form(request.POST if request.method == "POST" else None)
        done = submit(
            request,
            form,
            lambda data: step.run(exchange, request.user, data),
            success=step.success,
            then=lambda _: to_detail(exchange),
        )
        return done or render(
            request,
            "exchanges/step.html",
            {"exchange": exchange, "step": step, "form": form, "nav": "exchanges"},
            status=status(form),
        )

    return member_required(named(view, step.action))


decline = _step(STEPS["decline"])
cancel = _step(STEPS["cancel"])
dispute = _step(STEPS["dispute"])
reject_correction = _step(STEPS["reject_correction"])
deliver = _step(STEPS["deliver"])
correct = _step(STEPS["correct"])


# Conversation, thanks and feedback ---------------------------------------------------


@member_required
@require_POST
def post_message(request: MemberRequest, exchange_id: int) -> HttpResponse:
    """Append a message. With htmx the conversation is swapped in place (always 200, so
    htmx swaps errors in too); without JavaScript the page reloads at the conversation."""
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    form = MessageForm(request.POST)
    posted = run(
        form,
        lambda data: services.post_message(
            exchange=exchange, author=request.user, body=data["body"]
        ),
    )
    if posted is not None:
        if not request.htmx:
            return redirect(reverse("exchanges:detail", args=[exchange.pk]) + "#conversation")
        form = MessageForm()
    context = detail_context(request, exchange, message_form=form)
    if request.htmx:
        return render(request, "exchanges/_conversation.html", context)
    return render(request, "exchanges/detail.html", context, status=400)


def _after_confirmation(
    name: str,
    form_name: str,
    make_form: Callable[[Any], forms.Form],
    leave: Callable[[Exchange, User, dict[str, Any]], object],
    success: str,
) -> View:
    """Thanks or feedback, left from the exchange page once it is confirmed. A refusal no
    field names (not a party, already left) is a message on the exchange page."""

    def view(request: MemberRequest, exchange_id: int) -> HttpResponse:
        exchange = selectors.get_exchange_for_member(exchange_id, request.user)
        form = make_form(request.POST)
        done = submit(
            request,
            form,
            lambda data: leave(exchange, request.user, data),
            success=success,
            then=lambda _: to_detail(exchange),
            not_beside_a_field=to_detail(exchange),
        )
        if done is not None:
            return done
        context = detail_context(request, exchange, **{form_name: form})
        return render(request, "exchanges/detail.html", context, status=400)

    return member_required(require_POST(named(view, name)))


leave_thanks = _after_confirmation(
    "leave_thanks",
    "thanks_form",
    ThanksForm,
    lambda ex, user, d: services.leave_thanks(exchange=ex, author=user, body=d["body"]),
    "Thank you. We've passed it on.",
)
leave_feedback = _after_confirmation(
    "leave_feedback",
    "feedback_form",
    FeedbackForm,
    lambda ex, user, d: services.leave_feedback(
        exchange=ex, author=user, helped=d["helped"], comment=d["comment"]
    ),
    "Thank you for your feedback. Only coordinators read it.",
)
