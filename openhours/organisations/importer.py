"""Import the real shape of the NHS in England from the reference CSVs in ``data/``.

The import creates, for each chosen ICB: the ICB; one place per local authority the ICB
covers; and organisations for the ICB itself, its NHS trusts, GP practices, primary care
networks and local authorities. ``data/SOURCES.md`` says where each file comes from.

Three rules shape the code:

* **Idempotent.** Every organisation is keyed by its ODS code, places by (ICB, local
  authority code). Re-running with the same data writes nothing, and the report says so.
* **Fast.** Organisations are compared in memory and written with ``bulk_create`` and
  ``bulk_update``, so all of England (about 8,000 rows) takes seconds, not minutes.
* **Nothing invented.** A place is assigned to an organisation only when the data makes it
  unambiguous (the organisation is a local authority, or its ICB has a single place); the
  reference files say which ICB a practice belongs to, not which local authority.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from openhours.core.database import analyse

from .models import ICB, Organisation, OrganisationKind, Place
from .names import place_name, tidy_name
from .reference import DATA_DIR, ReferenceData, ReferenceDataError, load_reference_data

# What callers of the importer use, read and named in the modules beside it.
__all__ = [
    "DATA_DIR",
    "ImportReport",
    "ReferenceDataError",
    "UnknownICBError",
    "import_organisations",
    "load_reference_data",
    "place_name",
    "resolve_icb_codes",
    "tidy_name",
]

# SQLite refuses statements with too many parameters; Django does not split ``__in``
# lookups for us, so reads and writes go in chunks of this size.
CHUNK = 500

ORGANISATION_FIELDS = ("name", "kind", "icb_id", "place_id", "postcode")

Progress = Callable[[str], None]


class UnknownICBError(ValueError):
    """The ICB code asked for is not in the reference data."""

    def __init__(self, code: str, suggestions: Sequence[str]) -> None:
        self.code = code
        self.suggestions = list(suggestions)
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"There is no ICB with the ODS code {code!r}.{hint}")


ICB_KIND = OrganisationKind.ICB.value
NHS_TRUST = OrganisationKind.NHS_TRUST.value
GP_PRACTICE = OrganisationKind.GP_PRACTICE.value
PCN = OrganisationKind.PCN.value
LOCAL_AUTHORITY = OrganisationKind.LOCAL_AUTHORITY.value
_KIND_ORDER = [ICB_KIND, NHS_TRUST, GP_PRACTICE, PCN, LOCAL_AUTHORITY]
_PLURALS = {
    ICB_KIND: "ICB organisations",
    NHS_TRUST: "NHS trusts",
    GP_PRACTICE: "GP practices",
    PCN: "Primary care networks",
    LOCAL_AUTHORITY: "Local authorities",
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def describe(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    icb_codes: list[str] = field(default_factory=list)
    icbs: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)
    organisations: dict[str, Tally] = field(
        default_factory=lambda: {kind: Tally() for kind in _KIND_ORDER}
    )

    @property
    def changed(self) -> int:
        tallies = [self.icbs, self.places, *self.organisations.values()]
        return sum(t.created + t.updated for t in tallies)

    def summary_lines(self) -> list[str]:
        lines = [f"ICBs: {self.icbs.describe()}", f"Places: {self.places.describe()}"]
        for kind in _KIND_ORDER:
            tally = self.organisations[kind]
            lines.append(f"{_PLURALS[kind]} ({tally.total}): {tally.describe()}")
        return lines


@dataclass(frozen=True)
class _Wanted:
    """An organisation as the reference data describes it, before it meets the database."""

    ods_code: str
    name: str
    kind: str
    icb_id: int
    place_id: int | None
    postcode: str


def resolve_icb_codes(reference: ReferenceData, codes: Sequence[str] | None) -> list[str]:
    """The ICB codes to import, in reference order; all of them when ``codes`` is None."""
    if codes is None:
        return list(reference.icbs)
    wanted: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if code not in reference.icbs:
            raise UnknownICBError(raw, reference.suggest(raw))
        if code not in wanted:
            wanted.append(code)
    return [code for code in reference.icbs if code in wanted]


def import_organisations(
    *,
    icb_codes: Sequence[str] | None = None,
    data_dir: Path = DATA_DIR,
    reference: ReferenceData | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update the ICBs named (all of England when None) and what they contain.

    Runs in one transaction: a failure half way leaves the database as it was.
    """
    reference = reference or load_reference_data(data_dir)
    codes = resolve_icb_codes(reference, icb_codes)
    say = progress or (lambda _message: None)
    report = ImportReport(icb_codes=codes)
    with transaction.atomic():
        icbs = _import_icbs(reference, codes, report)
        _import_places(reference, icbs, report)
        wanted = _wanted_organisations(reference, codes, say)
        _write_organisations(wanted, report)
    # Thousands of new rows: let PostgreSQL's planner know of them now, not when
    # autovacuum next looks.
    analyse(ICB, Place, Organisation)
    return report


def _import_icbs(reference: ReferenceData, codes: list[str], report: ImportReport) -> list[ICB]:
    existing = {icb.ods_code: icb for icb in ICB.objects.filter(ods_code__in=codes)}
    result: list[ICB] = []
    for code in codes:
        record = reference.icbs[code]
        values = {"gss_code": record.gss_code, "name": record.name, "region": record.region}
        icb = existing.get(code)
        if icb is None:
            icb = ICB.objects.create(ods_code=code, **values)
            report.icbs.created += 1
        elif _assign(icb, values):
            icb.save(update_fields=list(values))
            report.icbs.updated += 1
        else:
            report.icbs.unchanged += 1
        result.append(icb)
    return result


def _import_places(reference: ReferenceData, icbs: list[ICB], report: ImportReport) -> None:
    for icb in icbs:
        existing = list(Place.objects.filter(icb=icb))
        by_code = {place.code: place for place in existing if place.code}
        by_name = {place.name: place for place in existing}
        la_codes = reference.las_by_icb.get(icb.ods_code, [])
        names = [place_name(reference.local_authorities[c].name) for c in la_codes]
        for la_code, name in zip(la_codes, names, strict=True):
            if names.count(name) > 1:  # two councils would share one place name
                name = reference.local_authorities[la_code].name
            place = by_code.get(la_code) or by_name.get(name)
            values = {"name": name, "code": la_code}
            if place is None:
                Place.objects.create(icb=icb, **values)
                report.places.created += 1
            elif _assign(place, values):
                place.save(update_fields=list(values))
                report.places.updated += 1
            else:
                report.places.unchanged += 1


def _assign(instance: ICB | Place | Organisation, values: Mapping[str, object]) -> bool:
    """Copy values onto a model instance; True if anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _wanted_organisations(
    reference: ReferenceData, codes: list[str], say: Progress
) -> list[_Wanted]:
    """Every organisation the chosen ICBs hold, with its ICB and (if unambiguous) place."""
    # One function of about 70 lines on purpose: the three small closures below share the
    # ids read once at the top, and the loop reads as the list of what an ICB holds.
    icb_ids = dict(ICB.objects.values_list("ods_code", "id"))
    place_ids = {
        (icb_code, la_code): place_id
        for icb_code, la_code, place_id in Place.objects.exclude(code="").values_list(
            "icb__ods_code", "code", "id"
        )
    }
    shared_codes = [c for icb in codes for c in reference.trusts_by_icb.get(icb, [])]
    shared_codes += [c for icb in codes for c in reference.las_by_icb.get(icb, [])]
    current_icbs = _current_icbs(shared_codes)

    def sole_place(icb_code: str) -> int | None:
        las = reference.las_by_icb.get(icb_code, [])
        return place_ids.get((icb_code, las[0])) if len(las) == 1 else None

    def settle(listing: Sequence[str], home: str | None, ods_code: str, fallback: str) -> str:
        """Which ICB an organisation listed under several is recorded against.

        Its headquarters' ICB if imported; else the ICB it already has, so that importing
        ICBs one at a time never moves it back and forth; else the one being imported.
        """
        if home is not None and home in icb_ids:
            return home
        current = current_icbs.get(ods_code)
        if current is not None and current in listing and current in icb_ids:
            return current
        return fallback

    wanted: dict[str, _Wanted] = {}

    def add(ods_code: str, name: str, kind: str, icb: str, place: int | None, pc: str) -> None:
        wanted.setdefault(
            ods_code,
            _Wanted(
                ods_code=ods_code,
                name=name,
                kind=kind,
                icb_id=icb_ids[icb],
                place_id=place,
                postcode=pc,
            ),
        )

    for code in codes:
        record = reference.icbs[code]
        add(code, record.name, ICB_KIND, code, sole_place(code), "")
        trusts = reference.trusts_by_icb.get(code, [])
        for trust_code in trusts:
            trust = reference.trusts[trust_code]
            icb = settle(trust.icb_codes, trust.home_icb, trust_code, code)
            add(trust_code, trust.name, NHS_TRUST, icb, sole_place(icb), trust.postcode)
        practices = reference.practices_by_icb.get(code, [])
        for site in practices:
            add(site.ods_code, site.name, GP_PRACTICE, code, sole_place(code), site.postcode)
        pcns = reference.pcns_by_icb.get(code, [])
        for site in pcns:
            add(site.ods_code, site.name, PCN, code, sole_place(code), site.postcode)
        las = reference.las_by_icb.get(code, [])
        for la_code in las:
            la = reference.local_authorities[la_code]
            icb = settle(la.icb_codes, None, la_code, code)
            add(la_code, la.name, LOCAL_AUTHORITY, icb, place_ids.get((icb, la_code)), "")
        say(
            f"{code} {record.name}: {len(las)} places, {len(trusts)} trusts, "
            f"{len(practices)} GP practices, {len(pcns)} PCNs"
        )
    return list(wanted.values())


def _current_icbs(ods_codes: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    unique = sorted(set(ods_codes))
    for start in range(0, len(unique), CHUNK):
        rows = Organisation.objects.filter(ods_code__in=unique[start : start + CHUNK])
        for ods_code, icb_code in rows.values_list("ods_code", "icb__ods_code"):
            if ods_code:
                found[ods_code] = icb_code
    return found


def _write_organisations(wanted: list[_Wanted], report: ImportReport) -> None:
    """Compare with what is stored, then insert and update in bulk.

    ``is_active`` is set on creation only: if a coordinator has retired an organisation,
    a later import does not bring it back.
    """
    codes = [w.ods_code for w in wanted]
    existing: dict[str, Organisation] = {}
    for start in range(0, len(codes), CHUNK):
        for stored in Organisation.objects.filter(ods_code__in=codes[start : start + CHUNK]):
            existing[stored.ods_code or ""] = stored
    to_create: list[Organisation] = []
    to_update: list[Organisation] = []
    for item in wanted:
        values: dict[str, object] = {name: getattr(item, name) for name in ORGANISATION_FIELDS}
        tally = report.organisations[item.kind]
        org = existing.get(item.ods_code)
        if org is None:
            to_create.append(Organisation(ods_code=item.ods_code, is_active=True, **values))
            tally.created += 1
        elif _assign(org, values):
            to_update.append(org)
            tally.updated += 1
        else:
            tally.unchanged += 1
    Organisation.objects.bulk_create(to_create, batch_size=CHUNK)
    Organisation.objects.bulk_update(to_update, list(ORGANISATION_FIELDS), batch_size=CHUNK)
