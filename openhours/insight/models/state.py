"""The refresh's state, unit costs and members' naming preferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RefreshState(models.Model):
    """The refresh's watermark and what the last run did; one row."""

    exchanges_seen_until = models.DateTimeField(null=True, blank=True)
    posts_seen_until = models.DateTimeField(null=True, blank=True)
    last_post_id = models.IntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_rebuild_at = models.DateTimeField(null=True, blank=True)
    last_duration_ms = models.IntegerField(default=0)
    spanners_at = models.DateTimeField(null=True, blank=True)
    spanners_exact = models.BooleanField(default=True)
    windows_month = models.DateField(
        null=True, blank=True, help_text="The last month of the OrgFlowWindow windows."
    )
    stale_before = models.DateTimeField(
        null=True, blank=True, help_text="StaleRequest counts the requests created before this."
    )

    def __str__(self) -> str:
        return f"refreshed {self.last_run_at}"


class UnitCost(models.Model):
    """The notional hourly cost of a practitioner role group (Profession.cost_group).

    Seeded from PSSRU Unit Costs of Health and Social Care 2024 (Open Government Licence
    v3.0) by migration 0002; coordinators with admin access may edit it.
    """

    role_group = models.CharField(max_length=100, unique=True)
    pence_per_hour = models.PositiveIntegerField(null=True, blank=True)
    is_proxy = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["role_group"]

    def __str__(self) -> str:
        return self.role_group


class NamingPreference(models.Model):
    """A member's choice not to be named as a boundary spanner on coordinators' dashboard."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insight_naming"
    )
    may_be_named = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {'named' if self.may_be_named else 'not named'}"
