"""What members say about themselves: profession, skills, what they offer and want."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from openhours.organisations.models import Organisation, Team


class Category(models.TextChoices):
    """Areas of work, shared by skills and posts."""

    IMPROVEMENT = "improvement", "Quality improvement"
    DATA = "data", "Data and analytics"
    DIGITAL = "digital", "Digital and technology"
    FINANCE = "finance", "Business cases and finance"
    CLINICAL = "clinical", "Clinical practice and audit"
    PATIENT_EXPERIENCE = "patient_experience", "Patient experience and involvement"
    RESEARCH = "research", "Research and evaluation"
    EDUCATION = "education", "Education and training"
    LEADERSHIP = "leadership", "Leadership and management"
    WORKFORCE = "workforce", "Workforce and HR"
    ESTATES = "estates", "Estates and facilities"
    SOCIAL_CARE = "social_care", "Social care practice"
    WELLBEING = "wellbeing", "Wellbeing and peer support"
    OTHER = "other", "Other"


class Profession(models.Model):
    """A profession or staff group, as members would name their own."""

    name = models.CharField(max_length=100, unique=True)
    staff_group = models.CharField(max_length=100)
    cost_group = models.CharField(
        max_length=100,
        blank=True,
        help_text="Practitioner role group in the unit-costs table, for notional value.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    name = models.CharField(max_length=80)
    category = models.CharField(max_length=24, choices=Category.choices, default=Category.OTHER)
    curated = models.BooleanField(
        default=False,
        help_text="On the list every member picks from; others were added by members.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="members_skill_unique_lower_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.TextChoices):
    BAND_1 = "1", "Band 1"
    BAND_2 = "2", "Band 2"
    BAND_3 = "3", "Band 3"
    BAND_4 = "4", "Band 4"
    BAND_5 = "5", "Band 5"
    BAND_6 = "6", "Band 6"
    BAND_7 = "7", "Band 7"
    BAND_8A = "8a", "Band 8a"
    BAND_8B = "8b", "Band 8b"
    BAND_8C = "8c", "Band 8c"
    BAND_8D = "8d", "Band 8d"
    BAND_9 = "9", "Band 9"
    MEDICAL = "medical", "Medical and dental pay scale"
    NOT_AFC = "other", "Not on Agenda for Change"


class Visibility(models.TextChoices):
    MEMBERS = "members", "All signed-in members can see my profile"
    HIDDEN = "hidden", "Only coordinators and people I exchange with"


class Mode(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    WRITTEN = "written", "Written (email or documents)"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    job_title = models.CharField(max_length=120, blank=True)
    profession = models.ForeignKey(
        Profession, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    # Private: kept for aggregate analytics only, never shown to other members or used
    # in matching (principle 1: every hour is equal).
    band = models.CharField(max_length=8, choices=Band.choices, blank=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="profiles")
    teams = models.ManyToManyField(Team, blank=True, related_name="profiles")
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles")
    can_help_with = models.TextField("I can help with", blank=True, max_length=2000)
    want_to_learn = models.TextField("I want to learn", blank=True, max_length=2000)
    bio = models.TextField(blank=True, max_length=3000)
    availability = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example: Tuesday afternoons, a few hours a month.",
    )
    mode_video = models.BooleanField(default=True)
    mode_phone = models.BooleanField(default=True)
    mode_in_person = models.BooleanField(default=False)
    mode_written = models.BooleanField(default=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="members_profile_visibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(band="") | models.Q(band__in=Band.values),
                name="members_profile_band_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def modes(self) -> list[str]:
        flags = {
            Mode.VIDEO: self.mode_video,
            Mode.PHONE: self.mode_phone,
            Mode.IN_PERSON: self.mode_in_person,
            Mode.WRITTEN: self.mode_written,
        }
        return [mode.label for mode, on in flags.items() if on]

    @property
    def is_complete(self) -> bool:
        return bool(self.job_title and (self.can_help_with or self.bio))


class Block(models.Model):
    """One member does not want to be brought together with another.

    Matching never suggests either to the other, and neither is alerted about the
    other's requests, whichever of them made the block (`selectors.blocked_either_way`).
    """

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="members_block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")),
                name="members_block_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"Member {self.blocker_id} blocked member {self.blocked_id}"
