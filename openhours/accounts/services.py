"""Writes to accounts: approval decisions and roles."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openhours.core import mail
from openhours.core.errors import DomainError
from openhours.core.tasks import enqueue_with_change

from .models import Approval, Role, User
from .permissions import require_coordinator


def approval_for_email(email: str) -> str:
    """The approval state a new member starts in, given the site's rules."""
    if not settings.OPENHOURS_REQUIRE_APPROVAL:
        return Approval.APPROVED
    domain = email.rsplit("@", 1)[-1].lower()
    trusted = settings.OPENHOURS_TRUSTED_EMAIL_DOMAINS
    if any(domain == d or domain.endswith("." + d) for d in trusted):
        return Approval.APPROVED
    return Approval.PENDING


def decide_membership(*, coordinator: User, member: User, approve: bool) -> User:
    """The approval state change and the email. Call it through
    ``openhours.membership.services.decide_membership``, which grants the joining credit in
    the same transaction (accounts sits below the ledger, so it can't do that here)."""
    require_coordinator(coordinator, to="approve or decline members")
    if member.approval != Approval.PENDING:
        raise DomainError(f"{member} is not waiting for approval.")
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        if member.approval != Approval.PENDING:
            raise DomainError(f"{member} is not waiting for approval.")
        member.approval = Approval.APPROVED if approve else Approval.DECLINED
        member.approved_at = timezone.now()
        member.approved_by = coordinator
        member.save(update_fields=["approval", "approved_at", "approved_by"])
        if approve:
            from .tasks import email_membership_approved  # its module imports these services

            enqueue_with_change(email_membership_approved, member.pk)
    return member


def tell_member_approved(member_id: int) -> None:
    """Email a member that their membership is approved (the worker runs it)."""
    member = User.objects.get(pk=member_id)
    mail.send(
        member.email,
        "You're in: your membership is approved",
        f"Hello {member.get_short_name()},\n\n"
        "A coordinator has approved your OpenHours membership. You can now offer "
        "your time, ask for help and find colleagues across the system:\n"
        f"{settings.SITE_URL}{reverse('home')}\n",
        kind="membership",
    )


def set_role(*, coordinator: User, member: User, role: str) -> User:
    require_coordinator(coordinator, to="change roles")
    if role not in Role.values:
        raise DomainError("Choose a role from the list.")
    if member.pk == coordinator.pk and role != Role.COORDINATOR:
        raise DomainError("You cannot remove your own coordinator role.")
    member.role = role
    member.save(update_fields=["role"])
    return member
