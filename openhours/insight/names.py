"""Labels for the ids in insight's tables: organisations, professions (and their cost
groups), places and kinds of organisation, each table read once per page and only if used."""

from __future__ import annotations

from collections.abc import Iterable

from openhours.members.models import Profession
from openhours.organisations.models import Organisation, OrganisationKind, Place

UNKNOWN = "Not recorded"


KIND_LABELS = dict(OrganisationKind.choices)


class Names:
    """Labels for the ids in the aggregates, each table read once per page and only if used."""

    def __init__(self) -> None:
        self._orgs: dict[int, str] | None = None
        self._professions: dict[int, tuple[str, str]] | None = None
        self._places: dict[int, str] | None = None

    def organisation(self, pk: int) -> str:
        if self._orgs is None:
            # One query for every name: cheaper than one per row, even for all of England.
            self._orgs = dict(Organisation.objects.values_list("pk", "name"))
        return self._orgs.get(pk, UNKNOWN)

    def preload_organisations(self, pks: Iterable[int]) -> None:
        self.organisation(0)

    def profession(self, pk: int) -> str:
        return self._profession_rows().get(pk, (UNKNOWN, ""))[0]

    def cost_group(self, pk: int) -> str:
        return self._profession_rows().get(pk, (UNKNOWN, ""))[1]

    def _profession_rows(self) -> dict[int, tuple[str, str]]:
        if self._professions is None:
            self._professions = {
                pk: (name, group)
                for pk, name, group in Profession.objects.values_list("pk", "name", "cost_group")
            }
        return self._professions

    def place(self, pk: int) -> str:
        if self._places is None:
            self._places = dict(Place.objects.values_list("pk", "name"))
        return self._places.get(pk, UNKNOWN)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, UNKNOWN))


def places() -> list[tuple[int, str]]:
    return list(Place.objects.values_list("pk", "name"))
