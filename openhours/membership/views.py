"""Coordinators' approval queue. Approving goes through membership.services, which also
grants the joining credit in the same transaction."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.models import Approval, User
from openhours.accounts.permissions import coordinator_required
from openhours.core.errors import DomainError

from . import services


@coordinator_required
def approvals(request: MemberRequest) -> HttpResponse:
    pending = User.objects.filter(approval=Approval.PENDING).order_by("date_joined", "pk")
    page = Paginator(pending, 25).get_page(request.GET.get("page"))
    return render(request, "membership/approvals.html", {"page": page, "nav": "coordinate"})


@coordinator_required
@require_POST
def decide(request: MemberRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, "Choose approve or decline.")
        return redirect("membership:approvals")
    try:
        services.decide_membership(
            coordinator=request.user,
            member=member,
            approve=decision == "approve",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        verb = "approved" if decision == "approve" else "declined"
        messages.success(request, f"{member} {verb}.")
    return redirect("membership:approvals")
