from __future__ import annotations

from typing import Any

from django import forms

from openhours.core.forms import ShortListChoiceField
from openhours.core.minutes import QuarterHoursField, hours_to_minutes, minutes_to_hours
from openhours.members.models import Category, Skill
from openhours.organisations.models import OrganisationKind, Place

from .models import Kind, Post, PostMode
from .services import PostDetails


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label="Are you offering help or asking for it?",
        choices=[(Kind.REQUEST, "I'm asking for help"), (Kind.OFFER, "I'm offering help")],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        max_length=140,
        help_text="One line, for example: Help shaping a business case for a virtual ward.",
    )
    description = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you need or offer, the outcome you hope for, and any deadline.",
    )
    category = forms.ChoiceField(choices=[("", "Choose an area")] + list(Category.choices))
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.filter(curated=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick up to eight.",
    )
    estimated_hours = QuarterHoursField(label="Estimated time (hours)")
    mode = forms.ChoiceField(label="How", choices=PostMode.choices, initial=PostMode.ANY)
    online = forms.BooleanField(label="This can happen online", required=False, initial=True)
    location = forms.CharField(
        max_length=200,
        required=False,
        help_text="Needed if it cannot happen online, for example: Southmead Hospital, Bristol.",
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.order_by("name"), required=False, empty_label="Anywhere"
    )

    def clean_skills(self) -> list[Skill]:
        skills = list(self.cleaned_data["skills"])
        if len(skills) > 8:
            raise forms.ValidationError("Pick at most eight skills.")
        return skills

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("online") and not (data.get("location") or "").strip():
            self.add_error("location", "Say where it will happen, or tick that it can be online.")
        return data

    def details(self) -> PostDetails:
        data = self.cleaned_data
        return PostDetails(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            category=data["category"],
            estimated_minutes=hours_to_minutes(data["estimated_hours"]),
            mode=data["mode"],
            online=data["online"],
            location=data["location"],
            place=data["place"],
            skills=data["skills"],
        )

    @classmethod
    def initial_for(cls, post: Post) -> dict[str, Any]:
        return {
            "kind": post.kind,
            "title": post.title,
            "description": post.description,
            "category": post.category,
            "skills": list(post.skills.all()),
            "estimated_hours": minutes_to_hours(post.estimated_minutes),
            "mode": post.mode,
            "online": post.online,
            "location": post.location,
            "place": post.place,
        }


class PostFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Offers and requests"), (Kind.REQUEST, "Requests"), (Kind.OFFER, "Offers")],
    )
    category = forms.ChoiceField(
        label="Area", required=False, choices=[("", "All areas")] + list(Category.choices)
    )
    skill = ShortListChoiceField(
        queryset=Skill.objects.filter(curated=True).order_by("name"),
        required=False,
        empty_label="Any skill",
    )
    mode = forms.ChoiceField(
        label="How",
        required=False,
        choices=[("", "Any way")] + [c for c in PostMode.choices if c[0] != PostMode.ANY],
    )
    place = ShortListChoiceField(
        queryset=Place.objects.order_by("name"), required=False, empty_label="Any place"
    )
    organisation_kind = forms.ChoiceField(
        label="Organisation type",
        required=False,
        choices=[("", "Any organisation")] + list(OrganisationKind.choices),
    )
