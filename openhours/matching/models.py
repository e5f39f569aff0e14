"""What matching keeps: the text (and embedding) it ranks by, and whom it has asked.

Documents are derived data, rebuilt from profiles, posts and exchanges at any time
(`rebuild_matching_index`); suggestions and routing are the record of whom a request was
brought to, which the alert cap, load spreading and escalation read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhours.posts.models import Post


class MemberDocument(models.Model):
    """Everything matching knows about what a member can help with, as one text.

    `fields` holds the member's own words by source (`skills`: skills, job title and
    profession; `about`: "I can help with" and bio; `offers`: their offers and the titles
    of exchanges they have given). `embedding` is the sentence embedding matching ranks by
    when semantic matching is on (the normalised mean of the embeddings of each source
    item), stored as float32 bytes so a restart need not embed 100,000 profiles again.
    `digest` says which text, model and storage it was made from.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="matching_document",
    )
    fields = models.JSONField(default=dict)
    digest = models.CharField(max_length=64, help_text="Hash of the fields and the model.")
    embedding = models.BinaryField(null=True, blank=True)
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Matching document for member {self.member_id}"


class RequestDocument(models.Model):
    """The words of one open request (`title`, `body`) as matching ranks it."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="matching_document"
    )
    fields = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)
    embedding = models.BinaryField(null=True, blank=True)
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Matching document for post {self.post_id}"


class ChangeKind(models.TextChoices):
    MEMBER = "member", "A member's document"
    REQUEST = "request", "A request's document"
    # Every document was rewritten (`rebuild_matching_index`): builders load them again.
    RELOAD = "reload", "Every document"


class DocumentChange(models.Model):
    """One row of the change log: the document of a member or a request may have changed.

    Written only by database triggers (migration 0002) on profiles, their skills, posts,
    their skills, users' approval and activity, and confirmed exchanges, so a bulk
    ``UPDATE``, an import or raw SQL is seen too. The index builder reads the rows after
    the last id it took (a primary-key range), never a scan of the members table; rows are
    pruned after a day (docs/matching.md, "Freshness").
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=7, choices=ChangeKind.choices)
    object_id = models.BigIntegerField(help_text="The member's or the request's id.")
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["changed_at"], name="matching_change_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"


class SuggestionKind(models.TextChoices):
    ALERT = "alert", "Alerted by matching"
    INVITATION = "invitation", "Invited by a person"


class Suggestion(models.Model):
    """A request was brought to a member: an automatic alert or a one-click invitation.

    One row per request, member and kind, so a retried alert run or a double-clicked
    invitation asks nobody twice. The alert cap and load spreading count these.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="suggestions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions_received"
    )
    kind = models.CharField(max_length=12, choices=SuggestionKind.choices)
    round = models.PositiveSmallIntegerField(
        default=1, help_text="Which routing round brought it: 1 first matches, 2 the next."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions_made",
    )
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="matching_sugg_member_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member", "kind"], name="matching_suggestion_once_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SuggestionKind.values),
                name="matching_suggestion_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=SuggestionKind.INVITATION)
                | models.Q(invited_by__isnull=False),
                name="matching_invitation_has_inviter",
            ),
            models.CheckConstraint(
                condition=models.Q(round__gte=1), name="matching_round_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: post {self.post_id} to member {self.member_id}"


class RoutingStage(models.TextChoices):
    ALERTED = "alerted", "First matches alerted"
    ESCALATED = "escalated", "Next matches alerted"
    QUEUED = "queued", "In the coordinators' queue"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed or expired"


class RequestRouting(models.Model):
    """Where one request is in its routing: alerted, escalated, queued or done."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="routing"
    )
    stage = models.CharField(max_length=10, choices=RoutingStage.choices)
    round = models.PositiveSmallIntegerField(default=1)
    routed_at = models.DateTimeField(help_text="When the current stage began.")
    queued_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The coordinator who took it off the queue.",
    )

    class Meta:
        indexes = [models.Index(fields=["stage", "routed_at"], name="matching_routing_stage")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=RoutingStage.values),
                name="matching_routing_stage_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=RoutingStage.QUEUED) | models.Q(queued_at__isnull=False),
                name="matching_routing_queued_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Routing of post {self.post_id}: {self.stage}"
