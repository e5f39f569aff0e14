"""factory_boy factories for organisations: ICBs, places and organisations."""

from __future__ import annotations

import factory

from openhours.organisations.models import ICB, Organisation, OrganisationKind, Place


class ICBFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ICB

    ods_code = factory.Sequence(lambda n: f"Q{n:03d}")
    name = factory.Sequence(lambda n: f"NHS Test {n} Integrated Care Board")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    icb = factory.SubFactory(ICBFactory)
    name = factory.Sequence(lambda n: f"Place {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n} NHS Trust")
    kind = OrganisationKind.NHS_TRUST
    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
