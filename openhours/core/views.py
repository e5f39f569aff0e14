"""Pages that belong to no app: about and the error pages (home is ``home``'s, health
``operations``')."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception) or None}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context: the context processors read the database,
    # which may be what failed. The template is self-contained for the same reason.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
