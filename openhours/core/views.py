from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from openhours.posts.models import Kind
from openhours.posts.selectors import latest_open_posts


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    if not getattr(request.user, "is_approved", False):
        return redirect("accounts:awaiting_approval")
    context = {
        "requests": latest_open_posts(kind=Kind.REQUEST, limit=6),
        "offers": latest_open_posts(kind=Kind.OFFER, limit=6),
        "profile": getattr(request.user, "profile", None),
    }
    return render(request, "core/home.html", context)


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception) or None}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
