"""Coordinators' pages: disputes and their resolution, offline records, feedback."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import coordinator_required

from .. import selectors, services
from ..forms import OfflineExchangeForm, ResolveForm, to_minutes
from ..models import Exchange, Helped
from ..permissions import can_resolve
from ._submit import status, submit, to_detail
from .pages import PAGE_SIZE


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

    def resolve_it(data: dict[str, Any]) -> Exchange:
        if data["outcome"] == "confirm":
            return services.resolve_by_confirming(
                exchange=exchange,
                coordinator=request.user,
                minutes=to_minutes(data["hours"]) or 0,
                reason=data["reason"],
            )
        return services.resolve_by_cancelling(
            exchange=exchange, coordinator=request.user, reason=data["reason"]
        )

    form = ResolveForm(request.POST or None)
    done = submit(
        request,
        form,
        resolve_it,
        success="Resolved. We've told both members.",
        then=lambda _: redirect("exchanges:disputes"),
    )
    return done or render(
        request,
        "exchanges/resolve.html",
        {
            "exchange": exchange,
            "form": form,
            "events": selectors.timeline(exchange),
            "conversation": selectors.conversation_for_viewer(exchange, request.user),
            "nav": "coordinate",
        },
        status=status(form),
    )


@coordinator_required
def record_offline(request: MemberRequest) -> HttpResponse:
    form = OfflineExchangeForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.record_offline_exchange(
            coordinator=request.user,
            giver=data["giver"],
            receiver=data["receiver"],
            minutes=to_minutes(data["hours"]) or 0,
            delivered_on=data["delivered_on"],
            title=data["title"],
            description=data["description"],
            reason=data["reason"],
        ),
        success="Recorded and confirmed. The time credits have moved.",
        then=to_detail,
    )
    return done or render(
        request, "exchanges/record.html", {"form": form, "nav": "coordinate"}, status=status(form)
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
