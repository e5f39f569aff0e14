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

import csv
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import ICB, Organisation, OrganisationKind, Place

DATA_DIR = Path(__file__).resolve().parent / "data"

ICBS_FILE = "icbs.csv"
ICB_MEMBERS_FILE = "icb_subicb_la_trusts.csv"
TRUSTS_FILE = "trusts.csv"
PRACTICES_FILE = "gp_practices.csv"
PCNS_FILE = "pcns.csv"
PCN_PRACTICES_FILE = "pcn_practices.csv"

# SQLite refuses statements with too many parameters; Django does not split ``__in``
# lookups for us, so reads and writes go in chunks of this size.
CHUNK = 500

ORGANISATION_FIELDS = ("name", "kind", "icb_id", "place_id", "postcode")

MEMBER_COLUMNS = [
    "NHS England Region",
    "ODS ICB Code",
    "ODS Sub ICB Code",
    "Local Authority",
    "ODS LA Code",
    "NHS Trusts",
    "ODS Trust Code",
]

Progress = Callable[[str], None]


class ReferenceDataError(ValueError):
    """A reference file is missing or does not have the columns the importer reads."""


class UnknownICBError(ValueError):
    """The ICB code asked for is not in the reference data."""

    def __init__(self, code: str, suggestions: Sequence[str]) -> None:
        self.code = code
        self.suggestions = list(suggestions)
        hint = f" Did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"There is no ICB with the ODS code {code!r}.{hint}")


# ---------------------------------------------------------------------------------------
# Reading the reference files
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IcbRecord:
    ods_code: str
    gss_code: str
    name: str
    region: str


@dataclass(frozen=True)
class LocalAuthorityRecord:
    ods_code: str
    name: str
    # Every ICB that lists this authority, in file order: county councils can be split.
    icb_codes: tuple[str, ...]


@dataclass(frozen=True)
class TrustRecord:
    ods_code: str
    name: str
    postcode: str
    icb_codes: tuple[str, ...]
    # The listing ICB whose area holds the trust's headquarters, when the postcode says.
    home_icb: str | None


@dataclass(frozen=True)
class SiteRecord:
    """A GP practice or PCN: an organisation that belongs to exactly one ICB."""

    ods_code: str
    name: str
    icb_code: str
    postcode: str


@dataclass(frozen=True)
class ReferenceData:
    icbs: dict[str, IcbRecord]
    local_authorities: dict[str, LocalAuthorityRecord]
    trusts: dict[str, TrustRecord]
    las_by_icb: dict[str, list[str]]
    trusts_by_icb: dict[str, list[str]]
    practices_by_icb: dict[str, list[SiteRecord]]
    pcns_by_icb: dict[str, list[SiteRecord]]
    # PCNs whose ICB neither their sub-ICB code nor their practices could tell.
    unplaced_pcns: tuple[str, ...] = ()

    def suggest(self, text: str) -> list[str]:
        """ICB codes whose name contains every word typed, to help after a wrong code."""
        words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2]
        if not words:
            return []
        return [
            f"{icb.ods_code} ({icb.name})"
            for icb in self.icbs.values()
            if all(w in icb.name.lower() for w in words)
        ][:5]


def _read(data_dir: Path, filename: str, columns: Iterable[str]) -> Iterator[dict[str, str]]:
    path = data_dir / filename
    if not path.is_file():
        raise ReferenceDataError(f"Reference file {path} is missing.")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ReferenceDataError(f"{path} lacks the column(s) {', '.join(sorted(missing))}.")
        for row in reader:
            yield {key: " ".join((value or "").split()) for key, value in row.items() if key}


@functools.lru_cache(maxsize=4)
def load_reference_data(data_dir: Path = DATA_DIR) -> ReferenceData:
    """Read and cross-check the six reference files into one consistent picture.

    Cached per folder: the files ship with the code and do not change while it runs, and
    reading them is most of the cost of importing a single ICB. Treat the result as
    read-only.
    """
    icb_rows = list(_read(data_dir, ICBS_FILE, ["ods_code", "gss_code", "name"]))
    member_rows = list(
        _read(
            data_dir,
            ICB_MEMBERS_FILE,
            MEMBER_COLUMNS,
        )
    )
    trust_rows = {
        row["ods_code"]: row
        for row in _read(data_dir, TRUSTS_FILE, ["ods_code", "trust_name", "postcode"])
    }
    practice_rows = list(
        _read(data_dir, PRACTICES_FILE, ["ods_code", "name", "icb_code", "postcode"])
    )
    pcn_rows = list(_read(data_dir, PCNS_FILE, ["pcn_code", "name", "sub_icb_code", "postcode"]))
    pcn_links = list(_read(data_dir, PCN_PRACTICES_FILE, ["practice_code", "pcn_code"]))

    regions = {r["ODS ICB Code"]: r["NHS England Region"] for r in member_rows}
    icbs = {
        row["ods_code"]: IcbRecord(
            ods_code=row["ods_code"],
            gss_code=row["gss_code"],
            name=tidy_name(row["name"]),
            region=regions.get(row["ods_code"], ""),
        )
        for row in icb_rows
    }

    # The member file's columns are parallel lists: a row's local authority and trust
    # both belong to the row's ICB, but not to each other, and any cell may be blank.
    sub_icb_to_icb: dict[str, str] = {}
    la_names: dict[str, str] = {}
    la_icbs: dict[str, list[str]] = defaultdict(list)
    trust_spellings: dict[str, list[str]] = defaultdict(list)
    trust_icbs: dict[str, list[str]] = defaultdict(list)
    for row in member_rows:
        icb = row["ODS ICB Code"]
        if icb not in icbs:
            continue
        if row["ODS Sub ICB Code"]:
            sub_icb_to_icb[row["ODS Sub ICB Code"]] = icb
        la_code = row["ODS LA Code"]
        if la_code and row["Local Authority"]:
            la_names.setdefault(la_code, row["Local Authority"])
            if icb not in la_icbs[la_code]:
                la_icbs[la_code].append(icb)
        trust_code = row["ODS Trust Code"]
        if trust_code and trust_code in trust_rows:
            trust_spellings[trust_code].append(row["NHS Trusts"])
            if icb not in trust_icbs[trust_code]:
                trust_icbs[trust_code].append(icb)

    icb_of_practice = {row["ods_code"]: row["icb_code"] for row in practice_rows}
    by_district, by_area = _icbs_by_postcode(practice_rows)

    local_authorities = {
        code: LocalAuthorityRecord(ods_code=code, name=la_names[code], icb_codes=tuple(listing))
        for code, listing in la_icbs.items()
    }
    trusts = {
        code: TrustRecord(
            ods_code=code,
            name=_trust_name(trust_rows[code]["trust_name"], trust_spellings[code]),
            postcode=trust_rows[code]["postcode"],
            icb_codes=tuple(listing),
            home_icb=_home_by_postcode(trust_rows[code]["postcode"], listing, by_district, by_area),
        )
        for code, listing in trust_icbs.items()
    }

    practices_by_icb: dict[str, list[SiteRecord]] = defaultdict(list)
    for row in practice_rows:
        if row["icb_code"] in icbs:  # Welsh practices sit under the pseudo-ICB Q99
            practices_by_icb[row["icb_code"]].append(
                SiteRecord(
                    ods_code=row["ods_code"],
                    name=tidy_name(row["name"]),
                    icb_code=row["icb_code"],
                    postcode=row["postcode"],
                )
            )

    # A PCN's ICB comes from its sub-ICB code; where that code has since been merged
    # away, from the ICB most of its member practices belong to.
    practice_icbs_of_pcn: dict[str, Counter[str]] = defaultdict(Counter)
    for link in pcn_links:
        practice_icb = icb_of_practice.get(link["practice_code"])
        if practice_icb in icbs:
            practice_icbs_of_pcn[link["pcn_code"]][practice_icb] += 1
    pcns_by_icb: dict[str, list[SiteRecord]] = defaultdict(list)
    unplaced: list[str] = []
    for row in pcn_rows:
        icb_code = sub_icb_to_icb.get(row["sub_icb_code"])
        if icb_code is None and practice_icbs_of_pcn[row["pcn_code"]]:
            icb_code = practice_icbs_of_pcn[row["pcn_code"]].most_common(1)[0][0]
        if icb_code is None:
            unplaced.append(row["pcn_code"])
            continue
        pcns_by_icb[icb_code].append(
            SiteRecord(
                ods_code=row["pcn_code"],
                name=tidy_name(row["name"]),
                icb_code=icb_code,
                postcode=row["postcode"],
            )
        )

    las_by_icb: dict[str, list[str]] = defaultdict(list)
    for la in local_authorities.values():
        for icb_code in la.icb_codes:
            las_by_icb[icb_code].append(la.ods_code)
    trusts_by_icb: dict[str, list[str]] = defaultdict(list)
    for trust in trusts.values():
        for icb_code in trust.icb_codes:
            trusts_by_icb[icb_code].append(trust.ods_code)

    return ReferenceData(
        icbs=icbs,
        local_authorities=local_authorities,
        trusts=trusts,
        las_by_icb=dict(las_by_icb),
        trusts_by_icb=dict(trusts_by_icb),
        practices_by_icb=dict(practices_by_icb),
        pcns_by_icb=dict(pcns_by_icb),
        unplaced_pcns=tuple(unplaced),
    )


def _icbs_by_postcode(
    practice_rows: list[dict[str, str]],
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """How many practices of each ICB sit in each postcode district and area.

    The reference data has no postcode-to-ICB table, but 6,750 practices spread across the
    country make a serviceable one.
    """
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for row in practice_rows:
        district = _postcode_district(row["postcode"])
        by_district[district][row["icb_code"]] += 1
        by_area[_postcode_area(district)][row["icb_code"]] += 1
    return by_district, by_area


def _postcode_district(postcode: str) -> str:
    return postcode.split(" ")[0].upper() if postcode else ""


def _postcode_area(district: str) -> str:
    return re.match(r"[A-Z]*", district).group(0)  # type: ignore[union-attr]


def _home_by_postcode(
    postcode: str,
    listing: Sequence[str],
    by_district: dict[str, Counter[str]],
    by_area: dict[str, Counter[str]],
) -> str | None:
    """The listing ICB most practices near the postcode belong to, or None if unclear."""
    if len(listing) == 1:
        return listing[0]
    district = _postcode_district(postcode)
    for counts in (by_district.get(district), by_area.get(_postcode_area(district))):
        if counts:
            near = [(counts[code], -listing.index(code), code) for code in listing if counts[code]]
            if near:
                return max(near)[2]
    return None


def _trust_name(official: str, spellings: list[str]) -> str:
    """The trust's name from trusts.csv, in the member file's mixed case when it agrees.

    The member file has a few older names and one row that pairs a code with another
    trust's name, so it only lends its capitalisation, never a different name.
    """
    for spelling in spellings:
        if spelling.casefold() == official.casefold():
            return spelling
    return tidy_name(official)


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------

_SMALL_WORDS = {"and", "of", "the", "upon", "on", "in", "at", "for", "with", "by", "under"}
_ACRONYMS = {"NHS", "ICB", "ICS", "PCN", "GP", "GPS", "UK", "UOS", "SHU", "HIV", "CIC", "LLP"}
_ABBREVIATIONS = {
    "DR": "Dr",
    "DRS": "Drs",
    "ST": "St",
    "RD": "Rd",
    "LTD": "Ltd",
    "MR": "Mr",
    "MRS": "Mrs",
    "MS": "Ms",
    "CTR": "Ctr",
    "CTRS": "Ctrs",
    "CNTR": "Cntr",
    "HLTH": "Hlth",
    "PTNR": "Ptnr",
    "PTNRS": "Ptnrs",
    "GRP": "Grp",
    "BLVD": "Blvd",
    "P'SHIP": "P'ship",
}
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def tidy_name(raw: str) -> str:
    """Turn an ODS name in capitals into the way people write it.

    ``THE DENSHAM SURGERY`` becomes ``The Densham Surgery``; ``ST JOHN'S PCN`` becomes
    ``St John's PCN``. Names already in mixed case are left as they are. Short words
    without vowels (``BNSSG``, ``SWB``) are taken to be initials and stay in capitals.
    """
    text = " ".join(raw.split())
    if text != text.upper():
        return text

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        before = text[: match.start()].rstrip()
        starts_phrase = not before or before[-1] in "(/,"
        return _case_word(token, starts_phrase=starts_phrase)

    return _TOKEN.sub(word, text)


def _case_word(token: str, *, starts_phrase: bool) -> str:
    upper = token.upper()
    if upper in _ABBREVIATIONS:
        return _ABBREVIATIONS[upper]
    if "'" in token:
        head, tail = upper.split("'", 1)
        if len(head) == 1:  # O'CONNELL
            return head + "'" + tail.capitalize()
        return _case_word(head, starts_phrase=starts_phrase) + "'" + tail.lower()
    if token[0].isdigit():
        digits = re.match(r"\d+", token).group(0)  # type: ignore[union-attr]
        suffix = token[len(digits) :]
        return digits + (suffix.lower() if suffix.lower() in {"st", "nd", "rd", "th"} else suffix)
    if upper in _ACRONYMS or (len(upper) <= 5 and not re.search("[AEIOUY]", upper)):
        return upper
    if upper.lower() in _SMALL_WORDS and not starts_phrase:
        return upper.lower()
    if upper.startswith("MC") and len(upper) > 3:
        return "Mc" + upper[2:].capitalize()
    return upper.capitalize()


_COUNCIL_PREFIXES = (
    "London Borough of ",
    "Royal Borough of ",
    "City of ",
    "Corporation of the ",
    "Council of the ",
)
_COUNCIL_SUFFIXES = (
    " Metropolitan Borough Council",
    " Metropolitan District Council",
    " City Council",
    " County Council",
    " Borough Council",
    " District Council",
    " Council",
)


def place_name(local_authority: str) -> str:
    """The name people use for a local authority's area: ``Bristol``, not the council.

    "Corporation of the City of London" keeps "City of London", which is what the area
    is called.
    """
    name = local_authority
    for prefix in _COUNCIL_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            if prefix == "Corporation of the ":
                return name
            break
    for suffix in _COUNCIL_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.strip() or local_authority


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


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
