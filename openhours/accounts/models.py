"""Who can sign in, and with what standing.

Email is the login. A member's role and approval state live here; everything a member
says about themselves lives on their profile in ``members``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    COORDINATOR = "coordinator", "Coordinator"
    LEADER = "leader", "System leader"


class Approval(models.TextChoices):
    PENDING = "pending", "Waiting for a coordinator"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


def approved_member_q(prefix: str = "") -> models.Q:
    """The one rule for "an approved, active member", as a filter.

    ``prefix`` reaches a user through a relation: ``approved_member_q("user__")`` filters
    profiles by their user. A declined or pending member, or a deactivated account, is
    never listed, found, chosen, ranked or told anything.
    """
    return models.Q(**{f"{prefix}is_active": True, f"{prefix}approval": Approval.APPROVED})


def coordinator_q(prefix: str = "") -> models.Q:
    """The one rule for "the coordinators": the coordinator role held by an approved,
    active member. A coordinator who is waiting, declined or deactivated is neither told
    things meant for coordinators nor allowed to act as one (``require_coordinator``)."""
    return approved_member_q(prefix) & models.Q(**{f"{prefix}role": Role.COORDINATOR})


class UserQuerySet(models.QuerySet["User"]):
    def approved_members(self) -> UserQuerySet:
        """Approved, active members (see ``approved_member_q``)."""
        return self.filter(approved_member_q())

    def coordinators(self) -> UserQuerySet:
        """Approved, active coordinators (see ``coordinator_q``), in key order so they
        are told, and their rows locked, in one fixed order."""
        return self.filter(coordinator_q()).order_by("pk")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def approved_members(self) -> UserQuerySet:
        return self.get_queryset().approved_members()

    def coordinators(self) -> UserQuerySet:
        return self.get_queryset().coordinators()

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.COORDINATOR)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    approval = models.CharField(max_length=16, choices=Approval.choices, default=Approval.APPROVED)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(approval__in=Approval.values),
                name="accounts_user_approval_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_coordinator(self) -> bool:
        """``coordinator_q`` for a user already in memory: who may act as a coordinator.

        The role alone is not enough: a coordinator whose account is waiting, declined or
        deactivated sees no coordinators' pages and can't act (``require_coordinator``),
        as ``User.objects.coordinators()`` leaves them out of what coordinators are told.
        """
        return self.role == Role.COORDINATOR and self.is_approved_member

    @property
    def is_approved(self) -> bool:
        return self.approval == Approval.APPROVED

    @property
    def is_approved_member(self) -> bool:
        """``approved_member_q`` for a user already in memory."""
        return self.is_active and self.is_approved
