"""Test posts, created through ``posts.services`` so their rules apply."""

from __future__ import annotations

from typing import Any

from openhours.accounts.models import User
from openhours.members.models import Skill
from openhours.posts.models import Kind, Post
from openhours.posts.services import PostDetails, create_post


def make_post(author: User, **overrides: Any) -> Post:
    fields: dict[str, Any] = {
        "kind": Kind.REQUEST,
        "title": "Help with a business case for a virtual ward",
        "description": "We need someone who has written an options appraisal before.",
        "category": "finance",
        "estimated_minutes": 120,
    }
    skills = overrides.pop("skills", [])
    fields.update(overrides)
    return create_post(
        author=author, details=PostDetails(**fields, skills=list(skills) or _default_skills())
    )


def _default_skills() -> list[Skill]:
    return list(Skill.objects.filter(name="Business cases"))
