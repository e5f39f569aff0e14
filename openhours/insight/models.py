"""System insight: aggregate tables, refreshed from the other apps' tables, read by the dashboard.

``insight`` reads exchanges, posts, members, organisations and the ledger, and writes only
these tables. The dashboard never scans raw tables per request: it reads the fact tables and
the monthly aggregates built from them by ``manage.py refresh_insight`` (see
``refresh.py`` and docs/insight.md). Fact tables hold plain integer keys rather
than foreign keys, so a refresh can bulk-write them without locking or checking other
apps' rows, and a member's erasure never waits on insight. ``0`` means "not known" in an
integer dimension and ``""`` in a text one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MemberFact(models.Model):
    """One approved, active member as the dashboard sees them now.

    Organisation: the member's first organisation by id (docs/insight.md); kind and place
    are that organisation's. Counters and dates are over confirmed exchanges.
    """

    user_id = models.IntegerField(primary_key=True)
    organisation_id = models.IntegerField(default=0)
    org_kind = models.CharField(max_length=20, blank=True)
    place_id = models.IntegerField(default=0)
    profession_id = models.IntegerField(default=0)
    balance = models.IntegerField(default=0, help_text="Minutes, from the ledger account.")
    given_count = models.IntegerField(default=0)
    received_count = models.IntegerField(default=0)
    minutes_given = models.IntegerField(default=0)
    minutes_received = models.IntegerField(default=0)
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["org_kind", "place_id"], name="insight_member_kind_place"),
            # Moves MemberCount.active's edge to the page's time (a few minutes of rows).
            models.Index(fields=["last_active_at"], name="insight_member_last_active"),
        ]

    def __str__(self) -> str:
        return f"member {self.user_id}"


class ExchangeFact(models.Model):
    """One confirmed exchange, denormalised with both parties' dimensions.

    A group session counts as one exchange per attendee who paid for it, from the giver,
    of the session's length, at settlement (docs/insight.md, "Conventions").
    """

    exchange_id = models.IntegerField(
        primary_key=True,
        help_text="The exchange's id; for a group-session attendance, minus the attendance's id.",
    )
    confirmed_at = models.DateTimeField()
    month = models.DateField(help_text="First day of the UTC month of confirmation.")
    minutes = models.IntegerField()
    post_id = models.IntegerField(default=0)
    giver_id = models.IntegerField()
    receiver_id = models.IntegerField()
    giver_org = models.IntegerField(default=0)
    receiver_org = models.IntegerField(default=0)
    giver_kind = models.CharField(max_length=20, blank=True)
    receiver_kind = models.CharField(max_length=20, blank=True)
    giver_place = models.IntegerField(default=0)
    receiver_place = models.IntegerField(default=0)
    giver_profession = models.IntegerField(default=0)
    receiver_profession = models.IntegerField(default=0)
    crosses_org = models.BooleanField(default=False)
    crosses_profession = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["month"], name="insight_fact_month"),
            # An incremental refresh regroups the facts of a few cells (month and pair).
            models.Index(
                fields=["month", "giver_org", "receiver_org"], name="insight_fact_month_orgs"
            ),
            models.Index(
                fields=["month", "giver_profession", "receiver_profession"],
                name="insight_fact_month_professions",
            ),
            models.Index(fields=["giver_id"], name="insight_fact_giver"),
            models.Index(fields=["receiver_id"], name="insight_fact_receiver"),
        ]

    def __str__(self) -> str:
        return f"exchange {self.exchange_id}"


class OrgFlow(models.Model):
    """Confirmed exchanges in one month from one organisation's members to another's."""

    month = models.DateField()
    giver_org = models.IntegerField()
    receiver_org = models.IntegerField()
    giver_kind = models.CharField(max_length=20, blank=True)
    receiver_kind = models.CharField(max_length=20, blank=True)
    giver_place = models.IntegerField()
    receiver_place = models.IntegerField()
    exchanges = models.IntegerField()
    minutes = models.IntegerField()
    cross_org = models.IntegerField(help_text="Exchanges that cross an organisation boundary.")
    cross_profession = models.IntegerField()
    givers = models.IntegerField(help_text="Distinct givers in this month's cell.")
    receivers = models.IntegerField(help_text="Distinct receivers in this month's cell.")

    class Meta:
        indexes = [models.Index(fields=["month"], name="insight_orgflow_month")]

    def __str__(self) -> str:
        return f"{self.month} {self.giver_org}→{self.receiver_org}"


class ProfessionFlow(models.Model):
    """Confirmed exchanges in one month between professions, within one filter scope.

    A scope is what the dashboard can be narrowed to: every exchange (place 0, kind ""), or
    the exchanges with a party in a place, of a kind of organisation, or both. An exchange
    is in a scope when its giver's or its receiver's organisation matches, and is counted
    once even when both do. Precomputing the scopes keeps a page's read to at most one row
    per pair of professions and month.
    """

    month = models.DateField()
    scope_place = models.IntegerField(default=0)
    scope_kind = models.CharField(max_length=20, blank=True)
    giver_profession = models.IntegerField()
    receiver_profession = models.IntegerField()
    exchanges = models.IntegerField()
    minutes = models.IntegerField()
    givers = models.IntegerField()
    receivers = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["scope_place", "scope_kind", "month"], name="insight_profflow_scope"
            ),
            models.Index(fields=["month"], name="insight_profflow_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.giver_profession}→{self.receiver_profession}"


class OrgFlowWindow(models.Model):
    """``OrgFlow`` summed over one standard window of whole months, per pair of organisations.

    The windows (``windows.current``) are the dashboard's usual ranges ending with the
    refresh's month: this month, the last 3, 6 and 12 months. A page whose range is one of
    them reads one row per pair instead of grouping every month's rows; other ranges group
    ``OrgFlow``. (The silo index's previous periods are ``SiloWindow``'s.)
    Columns as ``OrgFlow``'s, summed; ``givers`` and ``receivers`` are the largest of any
    one month (``privacy.people_lower_bound``).
    """

    first_month = models.DateField()
    last_month = models.DateField()
    giver_org = models.IntegerField()
    receiver_org = models.IntegerField()
    giver_kind = models.CharField(max_length=20, blank=True)
    receiver_kind = models.CharField(max_length=20, blank=True)
    giver_place = models.IntegerField()
    receiver_place = models.IntegerField()
    exchanges = models.IntegerField()
    minutes = models.IntegerField()
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


class ProfessionFlowWindow(models.Model):
    """``ProfessionFlow`` summed over one standard window of whole months (``OrgFlowWindow``'s),
    per filter scope and pair of professions. ``givers`` and ``receivers`` are the largest of
    any one month, as a page grouping the monthly rows would take them."""

    first_month = models.DateField()
    last_month = models.DateField()
    scope_place = models.IntegerField(default=0)
    scope_kind = models.CharField(max_length=20, blank=True)
    giver_profession = models.IntegerField()
    receiver_profession = models.IntegerField()
    exchanges = models.IntegerField()
    minutes = models.IntegerField()
    givers = models.IntegerField()
    receivers = models.IntegerField()

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


class OrgBetweenness(models.Model):
    """Each organisation's betweenness over one standard window (``OrgFlowWindow``'s),
    without filters: what the default view's "organisations that connect others" reads
    instead of computing it (``network.betweenness``, as a page would)."""

    first_month = models.DateField()
    last_month = models.DateField()
    organisation_id = models.IntegerField()
    score = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["first_month", "last_month"], name="insight_orgbetween_months")
        ]

    def __str__(self) -> str:
        return f"{self.first_month} to {self.last_month} {self.organisation_id}: {self.score}"


class MonthFlow(models.Model):
    """One month of exchanges within one filter scope: the "crossing a boundary" chart.

    Scopes as ``ProfessionFlow``'s. ``givers`` is the sum over giver organisations of each
    one's largest count of distinct givers in a cell of the month: a lower bound of the
    people behind the month's exchanges (docs/insight.md, "Privacy").
    """

    month = models.DateField()
    scope_place = models.IntegerField(default=0)
    scope_kind = models.CharField(max_length=20, blank=True)
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


class RequestFact(models.Model):
    """One offer or request post: when it was answered and whether it was fulfilled."""

    post_id = models.IntegerField(primary_key=True)
    author_id = models.IntegerField()
    kind = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=8)
    org_kind = models.CharField(max_length=20, blank=True, help_text="The author's.")
    place_id = models.IntegerField(default=0, help_text="The post's place, else the author's.")
    first_response_at = models.DateTimeField(null=True, blank=True)
    response_minutes = models.IntegerField(null=True, blank=True)
    fulfilled = models.BooleanField(default=False)
    month = models.DateField(help_text="First day of the UTC month of creation.")
    # Comma-separated ids: splitting text is several times faster than decoding JSON for
    # the thousands of rows the dashboard reads.
    skill_ids = models.CharField(max_length=1000, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "created_at"], name="insight_request_kind_created"),
            models.Index(fields=["status", "kind"], name="insight_request_status_kind"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id}"

    @property
    def skills(self) -> list[int]:
        return split_ids(self.skill_ids)


def split_ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",")] if text else []


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


class SkillMonth(models.Model):
    """How many offers and requests named a skill, by month, author's kind and place."""

    month = models.DateField()
    skill_id = models.IntegerField()
    kind = models.CharField(max_length=8)
    org_kind = models.CharField(max_length=20, blank=True)
    place_id = models.IntegerField()
    posts = models.IntegerField()
    people = models.IntegerField(help_text="Distinct authors.")

    class Meta:
        indexes = [models.Index(fields=["month"], name="insight_skillmonth_month")]

    def __str__(self) -> str:
        return f"{self.month} skill {self.skill_id} {self.kind}"


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


class SkillWindow(models.Model):
    """``SkillMonth`` summed over each standard window (``OrgFlowWindow``'s), per skill, kind
    of post, author's kind of organisation and place: what the skills chart of a page whose
    range is a standard window reads instead of grouping every month. ``people`` is the
    largest count of distinct authors in any one month, as a page grouping the months takes
    it (a lower bound)."""

    first_month = models.DateField()
    last_month = models.DateField()
    skill_id = models.IntegerField()
    kind = models.CharField(max_length=8)
    org_kind = models.CharField(max_length=20, blank=True)
    place_id = models.IntegerField()
    posts = models.IntegerField()
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


class SpannerScore(models.Model):
    """A member's betweenness on the exchange network (see docs/insight.md)."""

    user_id = models.IntegerField(primary_key=True)
    betweenness = models.FloatField(db_index=True)
    organisations_reached = models.IntegerField(help_text="Other organisations exchanged with.")

    def __str__(self) -> str:
        return f"member {self.user_id}: {self.betweenness:.4f}"


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
