from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openhours.accounts.http import MemberRequest


@login_required
def awaiting_approval(request: MemberRequest) -> HttpResponse:
    if request.user.is_approved:
        return redirect("home")
    return render(request, "accounts/awaiting_approval.html")
