from __future__ import annotations

from typing import Any

from django import forms

from openhours.organisations.models import Organisation, OrganisationKind, Place

from .models import Band, Profession, Profile, Skill, Visibility
from .services import ProfileDetails


class OrganisationPicker(forms.SelectMultiple):
    """Search-as-you-type for organisations: only the chosen ones are rendered.

    Chosen organisations are checked checkboxes; typing in the search box fetches
    matching organisations (htmx) as more checkboxes beneath it.
    """

    template_name = "members/widgets/organisation_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        ids = [v for v in (value or []) if str(v).isdigit()]
        context["selected"] = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
        return context

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> list[Any]:
        return []


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    job_title = forms.CharField(
        max_length=120, help_text="For example: Quality improvement lead, Practice manager."
    )
    profession = forms.ModelChoiceField(
        label="Profession or staff group",
        queryset=Profession.objects.order_by("name"),
        required=False,
        empty_label="Choose one",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Where you work",
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=OrganisationPicker,
        help_text="Type at least two letters of an organisation's name and tick yours. "
        "You can choose more than one.",
    )
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.filter(curated=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What colleagues could ask you about.",
    )
    new_skills = forms.CharField(
        label="Other skills",
        required=False,
        max_length=400,
        help_text="Separate them with commas, for example: Tableau, Lean six sigma.",
    )
    can_help_with = forms.CharField(
        label="I can help with",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    want_to_learn = forms.CharField(
        label="I want to learn",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bio = forms.CharField(
        label="About you", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    availability = forms.CharField(
        required=False,
        max_length=200,
        help_text="For example: Tuesday afternoons, a few hours a month.",
    )
    mode_video = forms.BooleanField(label="Video call", required=False)
    mode_phone = forms.BooleanField(label="Phone", required=False)
    mode_in_person = forms.BooleanField(label="In person", required=False)
    mode_written = forms.BooleanField(label="Written (email or documents)", required=False)
    band = forms.ChoiceField(
        label="Pay band (private)",
        required=False,
        choices=[("", "Prefer not to say")] + list(Band.choices),
        help_text="Never shown to other members and never used to match or rank anyone. "
        "It only feeds anonymous system statistics.",
    )
    visibility = forms.ChoiceField(
        label="Who can see your profile", choices=Visibility.choices, widget=forms.RadioSelect
    )

    def clean_new_skills(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["new_skills"].split(",") if n.strip()]
        for name in names:
            if len(name) < 2 or len(name) > 80:
                raise forms.ValidationError(
                    f'"{name}" is not a usable skill name: use 2 to 80 characters.'
                )
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        skills = len(data.get("skills") or []) + len(data.get("new_skills") or [])
        if skills > 20:
            self.add_error("skills", "Choose at most 20 skills in all.")
        return data

    def details(self) -> ProfileDetails:
        d = self.cleaned_data
        return ProfileDetails(
            full_name=d["full_name"],
            job_title=d["job_title"],
            profession=d["profession"],
            band=d["band"],
            organisations=list(d["organisations"]),
            skills=list(d["skills"]),
            new_skill_names=d["new_skills"],
            can_help_with=d["can_help_with"],
            want_to_learn=d["want_to_learn"],
            bio=d["bio"],
            availability=d["availability"],
            mode_video=d["mode_video"],
            mode_phone=d["mode_phone"],
            mode_in_person=d["mode_in_person"],
            mode_written=d["mode_written"],
            visibility=d["visibility"],
        )

    @classmethod
    def initial_for(cls, profile: Profile) -> dict[str, Any]:
        return {
            "full_name": profile.user.full_name,
            "job_title": profile.job_title,
            "profession": profile.profession,
            "organisations": [o.pk for o in profile.organisations.all()],
            "skills": [s.pk for s in profile.skills.filter(curated=True)],
            "new_skills": ", ".join(s.name for s in profile.skills.filter(curated=False)),
            "can_help_with": profile.can_help_with,
            "want_to_learn": profile.want_to_learn,
            "bio": profile.bio,
            "availability": profile.availability,
            "mode_video": profile.mode_video,
            "mode_phone": profile.mode_phone,
            "mode_in_person": profile.mode_in_person,
            "mode_written": profile.mode_written,
            "band": profile.band,
            "visibility": profile.visibility,
        }


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search people", required=False, max_length=200)
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.filter(curated=True).order_by("name"),
        required=False,
        empty_label="Any skill",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, widget=forms.HiddenInput
    )
    organisation_kind = forms.ChoiceField(
        label="Organisation type",
        required=False,
        choices=[("", "Any organisation")] + list(OrganisationKind.choices),
    )
    profession = forms.ModelChoiceField(
        label="Profession",
        queryset=Profession.objects.order_by("name"),
        required=False,
        empty_label="Any profession",
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.order_by("name"), required=False, empty_label="Any place"
    )
