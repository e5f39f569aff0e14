"""The shape of an Integrated Care System: ICBs, places, organisations and teams."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class ICB(models.Model):
    """An Integrated Care Board, the statutory body of an Integrated Care System."""

    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    gss_code = models.CharField("ONS code", max_length=12, blank=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB"
        verbose_name_plural = "ICBs"

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A place within an ICS, usually one local authority's area."""

    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="places")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=12, blank=True, help_text="Local authority code")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["icb", "name"], name="organisations_place_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"
    ICB = "icb", "Integrated care board"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SOCIAL_CARE = "social_care", "Social care provider"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    HOSPICE = "hospice", "Hospice"
    UNIVERSITY = "university", "University"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    # NULL, not "", for "no code", so the unique constraint ignores organisations without one.
    ods_code = models.CharField("ODS code", max_length=12, null=True, blank=True)  # noqa: DJ001
    icb = models.ForeignKey(
        ICB, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    postcode = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=models.Q(ods_code__isnull=False),
                name="organisations_organisation_unique_ods",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisations_organisation_kind_valid",
            ),
        ]
        indexes = [models.Index(Lower("name"), name="organisations_org_lower_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="organisations_team_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation.name}"
