"""``manage.py seed_demo``: a realistic Integrated Care System to click around in.

A thin shell over ``openhours.demo.seeding``; see that module for how the demo is built.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from openhours.core.database import analyse
from openhours.demo.content.showcase import (
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    LEADER_EMAIL,
    MEMBER_EMAIL,
)
from openhours.demo.seeding import (
    DEFAULT_MEMBERS,
    MIN_DEFAULT_POSTS,
    DemoDataError,
    demo_data_present,
    seed_demo,
)
from openhours.organisations.importer import UnknownICBError

# Backends that never deliver mail to a real inbox. Demo members have realistic addresses
# (firstname.lastname@nhs.net); with a real mail server, reminders would reach strangers.
SAFE_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo ICS: real NHS organisations for one ICB, and "
        "invented members, profiles, offers and requests. Prints the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--icb", default="QUY", metavar="ODS_CODE", help="Default: QUY.")
        parser.add_argument(
            "--members",
            type=int,
            default=DEFAULT_MEMBERS,
            help=f"Accounts to create, the 3 demo logins included (default {DEFAULT_MEMBERS}).",
        )
        parser.add_argument(
            "--posts",
            type=int,
            default=None,
            help=f"Offers and requests (default: one per member, at least {MIN_DEFAULT_POSTS}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same demo.")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Only members and posts: no exchanges, sessions, donations or grants.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has any account.",
        )
        parser.add_argument(
            "--allow-real-email",
            action="store_true",
            help="Run even though EMAIL_BACKEND could deliver mail to demo addresses.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_data_present():
            self.stdout.write("Demo data already present.")
            return
        if settings.EMAIL_BACKEND not in SAFE_EMAIL_BACKENDS and not options["allow_real_email"]:
            raise CommandError(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which could send mail to the "
                "realistic addresses of demo members. Use the console backend (DEBUG=1 does), "
                "or pass --allow-real-email if you are sure mail goes nowhere real."
            )
        verbose = options["verbosity"] >= 1
        try:
            result = seed_demo(
                icb_code=options["icb"],
                members=options["members"],
                posts=options["posts"],
                seed=options["seed"],
                history=not options["no_history"],
                progress=verbose,
                say=self.stdout.write if verbose else None,
            )
        except (DemoDataError, UnknownICBError) as exc:
            hint = " Run `manage.py import_organisations --list` for the codes."
            raise CommandError(
                str(exc) + (hint if isinstance(exc, UnknownICBError) else "")
            ) from exc
        # Every table was just filled: statistics now, or the first pages are planned as
        # if the tables were empty (the directory: 1.49 s at 100,000 members, 0.18 s after).
        if analyse():
            self.stdout.write("Analysed the database (PostgreSQL statistics).")

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready in {result.seconds:.1f}s: {result.members} members and "
                f"{result.posts} posts in {result.icb_name}."
            )
        )
        if result.history is not None:
            self.stdout.write(result.history.summary())
        login = settings.SITE_URL + reverse("account_login")
        self.stdout.write(f"\nSign in at {login} with password {DEMO_PASSWORD!r}:")
        if result.history is not None:
            self.stdout.write(
                f"  {COORDINATOR_EMAIL:<32} coordinator (also staff: /admin/ works): "
                "a dispute to resolve, the community pool"
            )
            self.stdout.write(
                f"  {MEMBER_EMAIL:<32} member with a profile, posts and six months of "
                "exchanges: a proposal to answer, time to confirm"
            )
        else:
            self.stdout.write(f"  {COORDINATOR_EMAIL:<32} coordinator (also staff: /admin/ works)")
            self.stdout.write(f"  {MEMBER_EMAIL:<32} member with a complete profile and posts")
        self.stdout.write(
            f"  {LEADER_EMAIL:<32} system leader: the insight dashboard (/insight/), small "
            "figures hidden, no names"
        )
        self.stdout.write(
            f"  Every other demo member has the same password, e.g. {result.sample_email}"
        )
