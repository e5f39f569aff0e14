"""The fact tables: one row per member, confirmed exchange or post, and the spanners."""

from __future__ import annotations

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


class SpannerScore(models.Model):
    """A member's betweenness on the exchange network (see docs/insight.md)."""

    user_id = models.IntegerField(primary_key=True)
    betweenness = models.FloatField(db_index=True)
    organisations_reached = models.IntegerField(help_text="Other organisations exchanged with.")

    def __str__(self) -> str:
        return f"member {self.user_id}: {self.betweenness:.4f}"
