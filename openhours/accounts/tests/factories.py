"""factory_boy factories for accounts: a user, approved and verified unless told otherwise.

Each app's test factories live in its own ``tests/factories.py``, so a test imports only
the factories of apps its app may import (the import-linter contract covers tests too).
"""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from openhours.accounts.models import Approval, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@nhs.net")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.MEMBER
    approval = Approval.APPROVED
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )
