from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openhours.accounts.models import Approval, Role, User


class Command(BaseCommand):
    help = (
        "Give a member a role (member, coordinator or leader), for example the first coordinator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args: Any, email: str, role: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No member has the email address {email}. They must sign up first.")
        user.role = role
        if role == Role.COORDINATOR and user.approval != Approval.APPROVED:
            user.approval = Approval.APPROVED
        user.save(update_fields=["role", "approval"])
        self.stdout.write(
            f"{user.full_name or user.email} is now a {user.get_role_display().lower()}."
        )
