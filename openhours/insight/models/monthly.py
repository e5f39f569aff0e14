"""The monthly aggregates built from the facts, and the counts taken at the last refresh."""

from __future__ import annotations

from django.db import models

from .base import MonthRow, OrgPairRow, ProfessionPairRow, ScopeRow, SkillRow


class OrgFlow(MonthRow, OrgPairRow):
    """Confirmed exchanges in one month from one organisation's members to another's."""

    cross_org = models.IntegerField(help_text="Exchanges that cross an organisation boundary.")
    cross_profession = models.IntegerField()
    givers = models.IntegerField(help_text="Distinct givers in this month's cell.")
    receivers = models.IntegerField(help_text="Distinct receivers in this month's cell.")

    class Meta:
        indexes = [models.Index(fields=["month"], name="insight_orgflow_month")]

    def __str__(self) -> str:
        return f"{self.month} {self.giver_org}→{self.receiver_org}"


class ProfessionFlow(MonthRow, ScopeRow, ProfessionPairRow):
    """Confirmed exchanges in one month between professions, within one filter scope.

    A scope is what the dashboard can be narrowed to: every exchange (place 0, kind ""), or
    the exchanges with a party in a place, of a kind of organisation, or both. An exchange
    is in a scope when its giver's or its receiver's organisation matches, and is counted
    once even when both do. Precomputing the scopes keeps a page's read to at most one row
    per pair of professions and month.
    """

    class Meta:
        indexes = [
            models.Index(
                fields=["scope_place", "scope_kind", "month"], name="insight_profflow_scope"
            ),
            models.Index(fields=["month"], name="insight_profflow_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.giver_profession}→{self.receiver_profession}"


class MonthFlow(MonthRow, ScopeRow):
    """One month of exchanges within one filter scope: the "crossing a boundary" chart.

    Scopes as ``ProfessionFlow``'s. ``givers`` is the sum over giver organisations of each
    one's largest count of distinct givers in a cell of the month: a lower bound of the
    people behind the month's exchanges (docs/insight.md, "Privacy").
    """

    exchanges = models.IntegerField()
    cross_org = models.IntegerField()
    cross_profession = models.IntegerField()
    givers = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["scope_place", "scope_kind", "month"], name="insight_month_scope")
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.scope_place or ''} {self.scope_kind}"


class MemberCount(models.Model):
    """Members of one kind of organisation in one place, counted at the last refresh.

    The dashboard's member figures for any place/kind filter are sums of these rows.
    ``active`` counts members active since ``active_since`` (the refresh's time minus the
    active window); a page moves that edge to its own time with one indexed count of the
    members whose last exchange falls between the two. The balance thresholds the "near a
    limit" counts used are kept, so a change of limits falls back to counting afresh.
    """

    org_kind = models.CharField(max_length=20, blank=True)
    place_id = models.IntegerField(default=0)
    members = models.IntegerField()
    active = models.IntegerField()
    active_since = models.DateTimeField()
    both = models.IntegerField(help_text="Have given and received.")
    either = models.IntegerField(help_text="Have given or received.")
    only_give = models.IntegerField()
    only_receive = models.IntegerField()
    near_lower = models.IntegerField()
    near_lower_at = models.IntegerField(help_text="Balance at or below which, in minutes.")
    near_upper = models.IntegerField()
    near_upper_at = models.IntegerField(help_text="Balance at or above which, in minutes.")
    # Members per balance band (metrics.balances.BUCKETS), lowest first.
    b0 = models.IntegerField()
    b1 = models.IntegerField()
    b2 = models.IntegerField()
    b3 = models.IntegerField()
    b4 = models.IntegerField()
    b5 = models.IntegerField()
    b6 = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.org_kind or '-'} {self.place_id}: {self.members}"


class StaleRequest(models.Model):
    """Requests open and unanswered at the last refresh, created before
    ``RefreshState.stale_before`` (the refresh's time less 14 days), per author's kind of
    organisation and skill, for every place together (``place_id`` null) and for each place.

    ``skill_id`` 0 counts the requests whatever their skills. Distinct authors don't add up
    across rows, and only "fewer than 5" depends on them: ``author_ids`` lists them
    (comma-separated) when there are fewer than 5, so a page can add the requests that
    crossed the 14-day edge since the refresh and still know.
    """

    place_id = models.IntegerField(null=True, blank=True)
    org_kind = models.CharField(max_length=20, blank=True)
    skill_id = models.IntegerField()
    requests = models.IntegerField()
    authors = models.IntegerField()
    author_ids = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.requests} open requests, skill {self.skill_id}"


class SkillMonth(MonthRow, SkillRow):
    """How many offers and requests named a skill, by month, author's kind and place."""

    people = models.IntegerField(help_text="Distinct authors.")

    class Meta:
        indexes = [models.Index(fields=["month"], name="insight_skillmonth_month")]

    def __str__(self) -> str:
        return f"{self.month} skill {self.skill_id} {self.kind}"
