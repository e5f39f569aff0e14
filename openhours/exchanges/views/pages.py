"""The member's list of exchanges and the exchange page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import member_required

from .. import selectors
from ..forms import FeedbackForm, MessageForm, ThanksForm
from ..models import Exchange, State
from ..permissions import available_actions, needs_action

PAGE_SIZE = 20


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


def detail_context(request: MemberRequest, exchange: Exchange, **forms_: Any) -> dict[str, Any]:
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
    return render(request, "exchanges/detail.html", detail_context(request, exchange))
