"""The time-credit ledger: accounts, transfers and their entries, and an audit log.

Double entry in integer minutes. A transfer is two or more entries that sum to zero; an
account's balance is the sum of its entries, cached on the account row and reconciled by
``manage.py verify_ledger``. Transfers, entries and audit events are append-only: the
models refuse updates and deletes, and database triggers (migration 0002) back that up.
Credits move only through ``openhours.ledger.services.post_transfer``; see docs/ledger.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from openhours.core.models import AppendOnlyModel, AppendOnlyQuerySet


class SystemAccount(models.TextChoices):
    # Holds what members donate and what coordinators top up; pays coordinator grants and
    # the surplus or shortfall of group sessions. It can never go below zero.
    COMMUNITY_POOL = "community_pool", "Community pool"
    # The source of new credits: joining grants, pool top-ups and upward adjustments come
    # from here and downward adjustments return here. Its balance is minus every credit in
    # circulation, which is what lets the whole ledger sum to zero. It has no limits.
    ISSUANCE = "issuance", "New credits (issuance)"


class TransferKind(models.TextChoices):
    EXCHANGE = "exchange", "Exchange"
    GROUP_SESSION = "group_session", "Group session"
    JOINING_GRANT = "joining_grant", "Joining grant"
    DONATION = "donation", "Donation"
    GRANT = "grant", "Grant from the community pool"
    POOL_TOP_UP = "pool_top_up", "Community pool top-up"
    ADJUSTMENT = "adjustment", "Adjustment"
    REVERSAL = "reversal", "Reversal"


# Corrections restore the truth, so they may take a member past a balance limit; they are
# then stamped ``limits_overridden`` and audited (never silent). See docs/ledger.md.
CORRECTION_KINDS = frozenset({TransferKind.ADJUSTMENT, TransferKind.REVERSAL})
# What counts as time given and received on a statement.
EXCHANGE_KINDS = frozenset({TransferKind.EXCHANGE, TransferKind.GROUP_SESSION})


class LedgerRecord(AppendOnlyModel):
    """History of credits: corrected by a reversing transfer, never by an edit."""

    append_only_advice = "post a reversal"

    class Meta:
        abstract = True


class Account(models.Model):
    """One per member, plus the system accounts. ``balance`` is a cache of the entries' sum.

    The cache is written only by ``post_transfer``, under a row lock on this account, in the
    same transaction as the entries that change it.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A member with credit history is never deleted: erasure anonymises the user row.
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
        db_index=False,  # the one-account-per-member unique index serves lookups
    )
    # NULL, not "", for member accounts: the unique constraint must ignore them.
    system_code = models.CharField(  # noqa: DJ001
        max_length=32, null=True, blank=True, choices=SystemAccount.choices
    )
    balance = models.BigIntegerField(default=0, help_text="Minutes; the sum of the entries.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(owner__isnull=False, system_code__isnull=True)
                    | models.Q(owner__isnull=True, system_code__isnull=False)
                ),
                name="ledger_account_member_xor_system",
            ),
            models.CheckConstraint(
                condition=models.Q(system_code__isnull=True)
                | models.Q(system_code__in=SystemAccount.values),
                name="ledger_account_system_code_valid",
            ),
            models.UniqueConstraint(fields=["owner"], name="ledger_account_one_per_member"),
            models.UniqueConstraint(fields=["system_code"], name="ledger_account_one_per_code"),
        ]

    def __str__(self) -> str:
        return self.holder_name

    @property
    def is_system(self) -> bool:
        return self.system_code is not None

    @property
    def holder_name(self) -> str:
        """Who the account belongs to, in words. Select the owner with the account."""
        if self.system_code is not None:
            return str(SystemAccount(self.system_code).label)
        return str(self.owner)


class Transfer(LedgerRecord):
    """A movement of credits: two or more entries summing to zero, posted once.

    ``reference`` says what the transfer is for without the ledger knowing other apps
    (for example ``exchange:42``). ``fingerprint`` is a hash of what moved, so a retry with
    the same ``idempotency_key`` can be told apart from a key reused for something else.
    """

    kind = models.CharField(max_length=16, choices=TransferKind.choices)
    memo = models.CharField(max_length=500, blank=True, help_text="Why; a reason for corrections.")
    reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system posted it (for example an automatic confirmation).",
    )
    # Not indexed: ids follow posting order, and every index is paid for on every posting.
    created_at = models.DateTimeField(default=timezone.now)
    # Unique through a constraint rather than unique=True, which on PostgreSQL would add a
    # second (LIKE-pattern) index that every posting pays for and no query uses.
    idempotency_key = models.CharField(max_length=150)
    fingerprint = models.CharField(max_length=64)
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
        db_index=False,  # the partial unique index below serves lookups
    )
    limits_overridden = models.BooleanField(
        default=False,
        help_text="A correction that left a member outside a balance limit, deliberately.",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TransferKind.values), name="ledger_transfer_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=TransferKind.REVERSAL, reverses__isnull=False)
                    | (~models.Q(kind=TransferKind.REVERSAL) & models.Q(reverses__isnull=True))
                ),
                name="ledger_transfer_reversal_names_original",
            ),
            models.CheckConstraint(
                condition=models.Q(limits_overridden=False)
                | models.Q(kind__in=sorted(k.value for k in CORRECTION_KINDS)),
                name="ledger_transfer_only_corrections_override_limits",
            ),
            models.CheckConstraint(
                condition=~models.Q(idempotency_key=""), name="ledger_transfer_has_key"
            ),
            # A retry or a double click posts once: the second insert fails on this.
            models.UniqueConstraint(fields=["idempotency_key"], name="ledger_transfer_key_once"),
            # A transfer is reversed at most once, even when two coordinators press at once.
            models.UniqueConstraint(
                fields=["reverses"],
                condition=models.Q(reverses__isnull=False),
                name="ledger_transfer_reversed_once",
            ),
        ]
        indexes = [
            # How other apps find the transfers for "exchange:42". Partial: most transfers
            # without a reference (grants, donations) need no index entry.
            models.Index(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="ledger_transfer_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(LedgerRecord):
    """One account's side of a transfer, in signed minutes (+ credit, - debit)."""

    # No single-column indexes on the keys: the unique (transfer, account) index and the
    # (account, id) index below serve every lookup by transfer or by account.
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    amount = models.IntegerField(help_text="Signed minutes: positive in, negative out.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount=0), name="ledger_entry_amount_not_zero"
            ),
            models.UniqueConstraint(
                fields=["transfer", "account"], name="ledger_entry_one_leg_per_account"
            ),
        ]
        indexes = [
            # Statements and running balances read one account's entries in posting order.
            models.Index(fields=["account", "id"], name="ledger_entry_account_id"),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} min on {self.account_id} in transfer {self.transfer_id}"

    def counterparty_names(self) -> list[str]:
        """The holders of the transfer's other legs (prefetch them; see selectors.statement)."""
        return [
            leg.account.holder_name
            for leg in self.transfer.entries.all()
            if leg.account_id != self.account_id
        ]


class AuditEvent(LedgerRecord):
    """Who did what to the ledger, written in the same transaction as the change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(max_length=64)
    target = models.CharField(max_length=200, help_text='What it acted on, e.g. "transfer:42".')
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.verb} {self.target}"
