from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import flatatt

from openhours.accounts.models import User
from openhours.core.forms import ShortListChoiceField
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


@dataclass(frozen=True)
class MemberChoice:
    """What a member picker posts: the id chosen from the list, and the text typed.

    With JavaScript, choosing from the list fills ``user_id``. Without it there is no list,
    so the text box is the whole field: an email address typed there picks that member.
    """

    user_id: str = ""
    text: str = ""

    @classmethod
    def of(cls, value: Any) -> MemberChoice:
        """A choice from bound data, or from an initial value (a user, an id or nothing)."""
        if isinstance(value, MemberChoice):
            return value
        if isinstance(value, User):
            return cls(user_id=str(value.pk))
        if value in (None, ""):
            return cls()
        return cls(user_id=str(value))


def _query_name(name: str) -> str:
    return f"{name}_query"


def _chosen(choice: MemberChoice) -> User | None:
    if not choice.user_id.isdigit():
        return None
    return members_who_can_be_chosen().filter(pk=int(choice.user_id)).first()


def members_who_can_be_chosen() -> QuerySet[User]:
    """Who a member picker accepts: anyone approved and active (privacy limits search)."""
    return User.objects.approved_members()


class MemberPicker(forms.Widget):
    """Search-as-you-type for one member: a text box, a list of matches, a hidden id.

    The text box becomes an ARIA combobox when members/member_picker.js runs (the
    widget's template loads it, so any page with a picker has it): typing fetches matches
    (htmx, ``members:search``) into a listbox, the arrow keys move through them, Enter or a
    click chooses one and a status line says who was chosen. Without JavaScript it is a
    plain text box that takes an email address, which the hint says.
    """

    template_name = "members/widgets/member_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, exclude_viewer: bool = False):
        super().__init__(attrs)
        self.exclude_viewer = exclude_viewer

    def value_from_datadict(self, data: Any, files: Any, name: str) -> MemberChoice:
        return MemberChoice(
            user_id=str(data.get(name) or "").strip()[:20],
            text=str(data.get(_query_name(name)) or "").strip()[:200],
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and _query_name(name) not in data

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        choice = MemberChoice.of(value)
        chosen = _chosen(choice)
        input_attrs = {k: v for k, v in context["widget"]["attrs"].items() if k != "required"}
        context.update(
            {
                "chosen": chosen,
                "text": chosen.full_name if chosen else choice.text,
                "query_name": _query_name(name),
                "input_attrs": flatatt(input_attrs),
                "exclude_viewer": self.exclude_viewer,
            }
        )
        return context


class MemberPickerHidden(forms.HiddenInput):
    """Both halves of a member choice as hidden inputs (a "check your answers" page)."""

    template_name = "members/widgets/member_picker_hidden.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> MemberChoice:
        return MemberPicker().value_from_datadict(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        context["choice"] = MemberChoice.of(value)
        context["query_name"] = _query_name(name)
        return context


class MemberField(forms.Field):
    """One approved, active member, chosen with a ``MemberPicker``; cleans to a ``User``.

    A tampered, stale or unknown id is a plain error beside the field, never a 500.
    ``exclude`` names someone who may not be chosen here (the person giving).
    """

    widget = MemberPicker
    hidden_widget = MemberPickerHidden
    default_error_messages = {
        "required": "Choose a member.",
        "invalid": "That member can't be chosen: they may have left. Search again.",
        "not_chosen": "Choose someone from the list as you type, or type their full email address.",
        "unknown_email": "No member has that email address. Check it, or search by name.",
        "excluded": "You can't choose yourself here.",
    }

    def __init__(self, *, exclude: User | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            "Type part of their name, job title or organisation and choose them from the "
            "list, or type their email address.",
        )
        super().__init__(**kwargs)
        self.exclude = exclude

    @property
    def exclude(self) -> User | None:
        return self._exclude

    @exclude.setter
    def exclude(self, user: User | None) -> None:
        self._exclude = user
        if isinstance(self.widget, MemberPicker):
            self.widget.exclude_viewer = user is not None

    def clean(self, value: Any) -> User | None:
        choice = MemberChoice.of(value)
        if choice.user_id:
            member = _chosen(choice)
            if member is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        elif "@" in choice.text:
            member = members_who_can_be_chosen().filter(email__iexact=choice.text).first()
            if member is None:
                raise ValidationError(self.error_messages["unknown_email"], code="unknown_email")
        elif choice.text:
            raise ValidationError(self.error_messages["not_chosen"], code="not_chosen")
        elif self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        else:
            return None
        if self.exclude is not None and member.pk == self.exclude.pk:
            raise ValidationError(self.error_messages["excluded"], code="excluded")
        return member

    def has_changed(self, initial: Any, data: Any) -> bool:
        return MemberChoice.of(initial).user_id != MemberChoice.of(data).user_id


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
    skill = ShortListChoiceField(
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
    profession = ShortListChoiceField(
        label="Profession",
        queryset=Profession.objects.order_by("name"),
        required=False,
        empty_label="Any profession",
    )
    place = ShortListChoiceField(
        queryset=Place.objects.order_by("name"), required=False, empty_label="Any place"
    )
