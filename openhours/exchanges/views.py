"""Exchange pages: thin over ``services`` (writes) and ``selectors`` (reads).

Every view that touches an exchange obtains it with ``selectors.get_exchange_for_member``,
so anyone who may not see it gets a 404. Destructive steps (decline, cancel, dispute,
reject a correction) are a GET page that explains and asks, then a POST that does it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import coordinator_required, member_required
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error, domain_error_field
from openhours.members.selectors import get_profile_for_viewer
from openhours.posts.models import Kind
from openhours.posts.selectors import get_post_for_viewer

from . import selectors, services
from .forms import (
    CorrectionForm,
    DeliverForm,
    FeedbackForm,
    MessageForm,
    OfflineExchangeForm,
    ProposeForm,
    ReasonForm,
    ResolveForm,
    StartExchangeForm,
    ThanksForm,
    to_minutes,
)
from .models import Exchange, Helped, State
from .permissions import available_actions, can_resolve, needs_action

PAGE_SIZE = 20


def _status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200


# Lists and the exchange page ---------------------------------------------------------


@member_required
def exchange_list(request: MemberRequest) -> HttpResponse:
    show = request.GET.get("show", "active")
    if show not in selectors.SHOW_CHOICES:
        show = "active"
    exchanges = selectors.exchanges_for_member(request.user, show=show)
    page = Paginator(exchanges, PAGE_SIZE).get_page(request.GET.get("page"))
    for exchange in page.object_list:
        exchange.viewer_needs_action = needs_action(request.user, exchange)  # type: ignore[attr-defined]
    return render(
        request,
        "exchanges/list.html",
        {
            "page": page,
            "show": show,
            "counts": selectors.counts_for_member(request.user),
            "nav": "exchanges",
        },
    )


def _detail_context(request: MemberRequest, exchange: Exchange, **forms_: Any) -> dict[str, Any]:
    user = request.user
    actions = available_actions(user, exchange)
    role = (
        "giver"
        if user.pk == exchange.giver_id
        else "receiver"
        if user.pk == exchange.receiver_id
        else None
    )
    thanks = selectors.thanks_for_exchange(exchange)
    confirmed_party = role is not None and exchange.state == State.CONFIRMED
    context = {
        "exchange": exchange,
        "role": role,
        "other": exchange.other_party(user) if role else None,
        "actions": actions,
        "events": selectors.timeline(exchange),
        "conversation": selectors.conversation_for_viewer(exchange, user),
        "contact": selectors.contact_details_for_viewer(exchange, user),
        "thanks": thanks,
        "thanked": any(t.author_id == user.pk for t in thanks),
        "my_feedback": selectors.own_feedback(exchange, user) if role else None,
        "confirmed_party": confirmed_party,
        "message_form": MessageForm(),
        "thanks_form": ThanksForm(),
        "feedback_form": FeedbackForm(),
        "auto_confirm_days": settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS,
        "nav": "exchanges",
    }
    context.update(forms_)
    return context


@member_required
def exchange_detail(request: MemberRequest, exchange_id: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    return render(request, "exchanges/detail.html", _detail_context(request, exchange))


# Starting an exchange ----------------------------------------------------------------


@member_required
def respond(request: MemberRequest, post_id: int) -> HttpResponse:
    """ "I can help" with a request, or "I'd like this" for an offer."""
    post = get_post_for_viewer(post_id, request.user)
    if request.method == "GET" and (post.author_id == request.user.pk or not post.is_open):
        messages.error(request, "You can't respond to this post.")
        return redirect("posts:detail", post_id=post.pk)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.respond_to_post(
                responder=request.user,
                post=post,
                message=form.cleaned_data["message"],
                estimated_minutes=form.estimated_minutes(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Sent. We've asked {post.author} to agree it.")
            return redirect("exchanges:detail", exchange_id=exchange.pk)
    heading = "Offer your help" if post.kind == Kind.REQUEST else "Ask for this"
    return render(
        request,
        "exchanges/propose.html",
        {"form": form, "post": post, "other": post.author, "heading": heading, "nav": "exchanges"},
        status=_status(form),
    )


@member_required
def start(request: MemberRequest, user_id: int) -> HttpResponse:
    """Start an exchange directly with another member, from their profile."""
    profile = get_profile_for_viewer(user_id, request.user)
    other = profile.user
    if other.pk == request.user.pk:
        messages.error(request, "You can't start an exchange with yourself.")
        return redirect("members:detail", user_id=other.pk)
    form = StartExchangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = services.propose_to_member(
                proposer=request.user,
                other=other,
                proposer_gives=data["direction"] == "give",
                title=data["title"],
                message=data["message"],
                estimated_minutes=form.estimated_minutes(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Sent. We've asked {other} to agree it.")
            return redirect("exchanges:detail", exchange_id=exchange.pk)
    return render(
        request,
        "exchanges/propose.html",
        {
            "form": form,
            "other": other,
            "heading": f"Start an exchange with {other}",
            "nav": "exchanges",
        },
        status=_status(form),
    )


# One-click steps ---------------------------------------------------------------------


def _one_click(
    request: MemberRequest,
    exchange_id: int,
    step: Callable[[Exchange, Any], Exchange],
    success: str,
) -> HttpResponse:
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    try:
        result = step(exchange, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchanges:detail", exchange_id=exchange.pk)
    messages.success(request, success)
    return redirect("exchanges:detail", exchange_id=result.pk)


@member_required
@require_POST
def accept(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _one_click(
        request,
        exchange_id,
        lambda ex, user: services.accept_exchange(exchange=ex, actor=user),
        "Agreed. You can now see each other's contact details.",
    )


@member_required
@require_POST
def confirm(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _one_click(
        request,
        exchange_id,
        lambda ex, user: services.confirm_exchange(exchange=ex, actor=user),
        "Confirmed. The time credits have moved. Thank you for recording it.",
    )


@member_required
@require_POST
def accept_correction(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _one_click(
        request,
        exchange_id,
        lambda ex, user: services.accept_correction(exchange=ex, actor=user),
        "Correction accepted. The exchange is confirmed.",
    )


@member_required
@require_POST
def repeat(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _one_click(
        request,
        exchange_id,
        lambda ex, user: services.repeat_exchange(exchange=ex, actor=user),
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


STEPS: dict[str, Step] = {
    "decline": Step(
        action="decline",
        heading="Decline this exchange?",
        intro="The other person will be told you can't take it on. This can't be undone.",
        button="Yes, decline it",
        success="Declined. We've let them know.",
        danger=True,
        make_form=lambda data: ReasonForm(data, required=False, label="Reason (optional)"),
        run=lambda ex, user, d: services.decline_exchange(
            exchange=ex, actor=user, reason=d["reason"]
        ),
    ),
    "cancel": Step(
        action="cancel",
        heading="Cancel this exchange?",
        intro="No time will be recorded and no credits will move. This can't be undone.",
        button="Yes, cancel it",
        success="Cancelled. We've let the other person know.",
        danger=True,
        make_form=lambda data: ReasonForm(data, required=False, label="Reason (optional)"),
        run=lambda ex, user, d: services.cancel_exchange(
            exchange=ex, actor=user, reason=d["reason"]
        ),
    ),
    "dispute": Step(
        action="dispute",
        heading="Dispute this exchange?",
        intro=(
            "A coordinator will look at the recorded time, read your conversation and decide. "
            "No credits move until they do."
        ),
        button="Yes, ask a coordinator",
        success="Disputed. A coordinator will be in touch.",
        danger=True,
        make_form=lambda data: ReasonForm(data, label="What went wrong?"),
        run=lambda ex, user, d: services.dispute_exchange(
            exchange=ex, actor=user, reason=d["reason"]
        ),
    ),
    "reject_correction": Step(
        action="reject_correction",
        heading="Reject the correction?",
        intro=(
            "The exchange will go to a coordinator, who will read your conversation and "
            "decide the time."
        ),
        button="Yes, reject it",
        success="Rejected. A coordinator will help you both agree.",
        danger=True,
        make_form=lambda data: ReasonForm(data, label="Why do you disagree?"),
        run=lambda ex, user, d: services.reject_correction(
            exchange=ex, actor=user, reason=d["reason"]
        ),
    ),
    "deliver": Step(
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
    "correct": Step(
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
}


def _step(request: MemberRequest, exchange_id: int, step: Step) -> HttpResponse:
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    if request.method == "GET" and step.action not in available_actions(request.user, exchange):
        messages.error(request, "That step isn't open to you on this exchange now.")
        return redirect("exchanges:detail", exchange_id=exchange.pk)
    form = step.make_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            step.run(exchange, request.user, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, step.success)
            return redirect("exchanges:detail", exchange_id=exchange.pk)
    return render(
        request,
        "exchanges/step.html",
        {"exchange": exchange, "step": step, "form": form, "nav": "exchanges"},
        status=_status(form),
    )


@member_required
def decline(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _step(request, exchange_id, STEPS["decline"])


@member_required
def cancel(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _step(request, exchange_id, STEPS["cancel"])


@member_required
def dispute(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _step(request, exchange_id, STEPS["dispute"])


@member_required
def reject_correction(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _step(request, exchange_id, STEPS["reject_correction"])


@member_required
def deliver(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _step(request, exchange_id, STEPS["deliver"])


@member_required
def correct(request: MemberRequest, exchange_id: int) -> HttpResponse:
    return _step(request, exchange_id, STEPS["correct"])


# Conversation, thanks and feedback ---------------------------------------------------


@member_required
@require_POST
def post_message(request: MemberRequest, exchange_id: int) -> HttpResponse:
    """Append a message. With htmx the conversation is swapped in place (always 200, so
    htmx swaps errors in too); without JavaScript the page reloads at the conversation."""
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(
                exchange=exchange, author=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not request.htmx:
                return redirect(reverse("exchanges:detail", args=[exchange.pk]) + "#conversation")
            form = MessageForm()
    if request.htmx:
        context = _detail_context(request, exchange, message_form=form)
        return render(request, "exchanges/_conversation.html", context)
    context = _detail_context(request, exchange, message_form=form)
    return render(request, "exchanges/detail.html", context, status=400)


@member_required
@require_POST
def leave_thanks(request: MemberRequest, exchange_id: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    form = ThanksForm(request.POST)
    if form.is_valid():
        try:
            services.leave_thanks(
                exchange=exchange, author=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            if domain_error_field(form, exc) is None:
                messages.error(request, exc.message)
                return redirect("exchanges:detail", exchange_id=exchange.pk)
            add_domain_error(form, exc)
        else:
            messages.success(request, "Thank you. We've passed it on.")
            return redirect("exchanges:detail", exchange_id=exchange.pk)
    context = _detail_context(request, exchange, thanks_form=form)
    return render(request, "exchanges/detail.html", context, status=400)


@member_required
@require_POST
def leave_feedback(request: MemberRequest, exchange_id: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.leave_feedback(
                exchange=exchange,
                author=request.user,
                helped=form.cleaned_data["helped"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            if domain_error_field(form, exc) is None:
                messages.error(request, exc.message)
                return redirect("exchanges:detail", exchange_id=exchange.pk)
            add_domain_error(form, exc)
        else:
            messages.success(request, "Thank you for your feedback. Only coordinators read it.")
            return redirect("exchanges:detail", exchange_id=exchange.pk)
    context = _detail_context(request, exchange, feedback_form=form)
    return render(request, "exchanges/detail.html", context, status=400)


# Coordinators ------------------------------------------------------------------------


@coordinator_required
def disputes(request: MemberRequest) -> HttpResponse:
    page = Paginator(selectors.disputed_exchanges(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exchanges/disputes.html", {"page": page, "nav": "coordinate"})


@coordinator_required
def resolve(request: MemberRequest, exchange_id: int) -> HttpResponse:
    exchange = selectors.get_exchange_for_member(exchange_id, request.user)
    if request.method == "GET" and not can_resolve(request.user, exchange):
        messages.error(request, "This exchange isn't waiting for you to resolve it.")
        return redirect("exchanges:detail", exchange_id=exchange.pk)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "confirm":
                services.resolve_by_confirming(
                    exchange=exchange,
                    coordinator=request.user,
                    minutes=to_minutes(data["hours"]) or 0,
                    reason=data["reason"],
                )
            else:
                services.resolve_by_cancelling(
                    exchange=exchange, coordinator=request.user, reason=data["reason"]
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Resolved. We've told both members.")
            return redirect("exchanges:disputes")
    return render(
        request,
        "exchanges/resolve.html",
        {
            "exchange": exchange,
            "form": form,
            "events": selectors.timeline(exchange),
            "conversation": selectors.conversation_for_viewer(exchange, request.user),
            "nav": "coordinate",
        },
        status=_status(form),
    )


@coordinator_required
def record_offline(request: MemberRequest) -> HttpResponse:
    form = OfflineExchangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = services.record_offline_exchange(
                coordinator=request.user,
                giver=data["giver"],
                receiver=data["receiver"],
                minutes=to_minutes(data["hours"]) or 0,
                delivered_on=data["delivered_on"],
                title=data["title"],
                description=data["description"],
                reason=data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Recorded and confirmed. The time credits have moved.")
            return redirect("exchanges:detail", exchange_id=exchange.pk)
    return render(
        request,
        "exchanges/record.html",
        {"form": form, "nav": "coordinate"},
        status=_status(form),
    )


@coordinator_required
def feedback_list(request: MemberRequest) -> HttpResponse:
    helped = request.GET.get("helped", "")
    if helped not in Helped.values:
        helped = ""
    feedback = selectors.feedback_for_coordinators(helped=helped)
    page = Paginator(feedback, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchanges/feedback_list.html",
        {"page": page, "helped": helped, "choices": Helped.choices, "nav": "coordinate"},
    )
