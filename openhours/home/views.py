"""The home page: the one page that shows blocks of many apps.

It lives in its own app at the top of the layers (docs/architecture.md, "Direction of
dependencies"), so ``core`` below everything imports no other app. Its template loads the
blocks other apps own (``{% home_summary %}`` from exchanges, ``{% requests_you_could_help_with %}``
from matching), as the profile page does for thanks.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openhours.posts.models import Kind
from openhours.posts.selectors import latest_open_posts


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    if not getattr(request.user, "is_approved", False):
        return redirect("accounts:awaiting_approval")
    context = {
        "requests": latest_open_posts(kind=Kind.REQUEST, limit=6),
        "offers": latest_open_posts(kind=Kind.OFFER, limit=6),
        "profile": getattr(request.user, "profile", None),
    }
    return render(request, "home/home.html", context)
