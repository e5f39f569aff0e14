"""The monthly aggregates summed over the standard windows of whole months
(``windows.current``), which a page whose range is one of them reads instead."""

from __future__ import annotations

from django.db import models

from .base import OrgPairRow, ProfessionPairRow, ScopeRow, SkillRow, WindowRow


class OrgFlowWindow(WindowRow, OrgPairRow):
    """``OrgFlow`` summed over one standard window of whole months, per pair of organisations.

    The windows (``windows.current``) are the dashboard's usual ranges ending with the
    refresh's month: this month, the last 3, 6 and 12 months. A page whose range is one of
    them reads one row per pair instead of grouping every month's rows; other ranges group
    ``OrgFlow``. (The silo index's previous periods are ``SiloWindow``'s.)
    Columns as ``OrgFlow``'s, summed; ``givers`` and ``receivers`` are the largest of any
    one month (``privacy.people_lower_bound``).
    """

    cross_org = models.IntegerField()
    cross_profession = models.IntegerField()
    givers = models.IntegerField()
    receivers = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["first_month", "last_month"], name="insight_orgwindow_months")
        ]

    def __str__(self) -> str:
        return f"{self.first_month} to {self.last_month} {self.giver_org}→{self.receiver_org}"


class ProfessionFlowWindow(WindowRow, ScopeRow, ProfessionPairRow):
    """``ProfessionFlow`` summed over one standard window of whole months (``OrgFlowWindow``'s),
    per filter scope and pair of professions. ``givers`` and ``receivers`` are the largest of
    any one month, as a page grouping the monthly rows would take them."""

    class Meta:
        indexes = [
            models.Index(
                fields=["first_month", "last_month", "scope_place", "scope_kind"],
                name="insight_profwindow_scope",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.first_month} to {self.last_month} "
            f"{self.giver_profession}→{self.receiver_profession}"
        )


class OrgBetweenness(WindowRow):
    """Each organisation's betweenness over one standard window (``OrgFlowWindow``'s),
    without filters: what the default view's "organisations that connect others" reads
    instead of computing it (``network.betweenness``, as a page would)."""

    organisation_id = models.IntegerField()
    score = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["first_month", "last_month"], name="insight_orgbetween_months")
        ]

    def __str__(self) -> str:
        return f"{self.first_month} to {self.last_month} {self.organisation_id}: {self.score}"


class SiloWindow(models.Model):
    """Each group's exchanges inside and across its boundary over the period just before
    each standard window (``windows.previous``), per filter scope: the silo index of a
    page's previous period
    without reading every pair. ``what`` says whether ``group_id`` is an organisation or a
    profession. Organisations are scoped as a page filters pairs (giver or receiver in the
    place and kind), professions as ``ProfessionFlow``; exchanges with an unknown group
    are left out, as ``network.ei_index`` leaves them."""

    first_month = models.DateField()
    last_month = models.DateField()
    what = models.CharField(max_length=12)
    scope_place = models.IntegerField(default=0)
    scope_kind = models.CharField(max_length=20, blank=True)
    group_id = models.IntegerField()
    internal = models.IntegerField()
    external = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "first_month",
                    "last_month",
                    "what",
                    "scope_place",
                    "scope_kind",
                    "group_id",
                ],
                name="insight_silowindow_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(what__in=["organisation", "profession"]),
                name="insight_silowindow_what_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(internal__gte=0, external__gte=0),
                name="insight_silowindow_counts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_month} to {self.last_month} {self.what} {self.group_id}"


class SkillWindow(WindowRow, SkillRow):
    """``SkillMonth`` summed over each standard window (``OrgFlowWindow``'s), per skill, kind
    of post, author's kind of organisation and place: what the skills chart of a page whose
    range is a standard window reads instead of grouping every month. ``people`` is the
    largest count of distinct authors in any one month, as a page grouping the months takes
    it (a lower bound)."""

    people = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first_month", "last_month", "skill_id", "kind", "org_kind", "place_id"],
                name="insight_skillwindow_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(posts__gte=models.F("people"), people__gte=1),
                name="insight_skillwindow_people_within_posts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_month} to {self.last_month} skill {self.skill_id} {self.kind}"


class RequestWindow(models.Model):
    """The request headline figures for the requests created from the first day of
    ``first_month`` (local time) until the refresh, per filter scope (``scope_place`` 0 and
    ``scope_kind`` "" for all), for each standard window's first month.

    A page whose range starts on one of those days and ends after ``latest`` (the newest
    request counted) reads its row instead of scanning the requests; ``median_minutes`` is
    the one ``metrics.headlines.request_figures`` picks (of the sorted times, the middle one, or
    the lower middle one when their number is even).
    """

    first_month = models.DateField()
    scope_place = models.IntegerField(default=0)
    scope_kind = models.CharField(max_length=20, blank=True)
    requests = models.IntegerField()
    fulfilled = models.IntegerField()
    authors = models.IntegerField()
    responded = models.IntegerField()
    median_minutes = models.IntegerField(null=True, blank=True)
    latest = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first_month", "scope_place", "scope_kind"],
                name="insight_requestwindow_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    fulfilled__lte=models.F("requests"),
                    responded__lte=models.F("requests"),
                    authors__lte=models.F("requests"),
                ),
                name="insight_requestwindow_parts_within_requests",
            ),
        ]

    def __str__(self) -> str:
        return f"requests since {self.first_month}: {self.requests}"
