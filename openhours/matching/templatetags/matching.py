"""Matching blocks that pages owned by lower apps show: ``{% load matching %}``.

The request page (``posts/detail.html``) shows ``{% people_who_could_help post %}`` and
the home page (``home/home.html``) ``{% requests_you_could_help_with %}``. As with thanks
on profiles (docs/architecture.md), ``posts`` and ``home`` never import matching. The
permission check is made here, not in their templates, by the same selectors the views
use (``may_see_helpers``, ``helpers_to_show``): only the requester and coordinators get
the helpers of an open request, everyone else gets nothing. Nothing here imports a view.
"""

from __future__ import annotations

from typing import Any

from django import template

from openhours.posts.models import Post

from ..selectors import (
    helpers_to_show,
    may_see_helpers,
    requests_to_show,
    warming_up_note,
)

HELPERS_ON_REQUEST = 5
REQUESTS_ON_HOME = 5

register = template.Library()


@register.inclusion_tag("matching/_people_who_could_help.html", takes_context=True)
def people_who_could_help(context: template.Context, post: Post) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or not may_see_helpers(post, viewer):
        return {"show": False}
    rows = helpers_to_show(post, viewer=viewer, limit=HELPERS_ON_REQUEST)
    return {
        "show": True,
        "post": post,
        "rows": rows,
        "is_requester": post.author_id == viewer.pk,
        "warming_up": "" if rows else warming_up_note(),
        "csrf_token": context.get("csrf_token"),
        "here": request.get_full_path() if request else "",
    }


@register.inclusion_tag("matching/_requests_you_could_help_with.html", takes_context=True)
def requests_you_could_help_with(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return {"show": False}
    matches = requests_to_show(viewer, limit=REQUESTS_ON_HOME)
    return {"show": True, "matches": matches, "warming_up": "" if matches else warming_up_note()}
