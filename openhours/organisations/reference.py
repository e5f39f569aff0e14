"""Reading the NHS reference CSVs in ``data/`` into one cross-checked picture.

``importer`` writes what this reads; ``data/SOURCES.md`` says where each file comes from.
Nothing here touches the database.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .names import tidy_name, trust_name

DATA_DIR = Path(__file__).resolve().parent / "data"

ICBS_FILE = "icbs.csv"
ICB_MEMBERS_FILE = "icb_subicb_la_trusts.csv"
TRUSTS_FILE = "trusts.csv"
PRACTICES_FILE = "gp_practices.csv"
PCNS_FILE = "pcns.csv"
PCN_PRACTICES_FILE = "pcn_practices.csv"

MEMBER_COLUMNS = [
    "NHS England Region",
    "ODS ICB Code",
    "ODS Sub ICB Code",
    "Local Authority",
    "ODS LA Code",
    "NHS Trusts",
    "ODS Trust Code",
]


class ReferenceDataError(ValueError):
    """A reference file is missing or does not have the columns the importer reads."""


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
    member_rows = list(_read(data_dir, ICB_MEMBERS_FILE, MEMBER_COLUMNS))
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
    links = _MemberLinks.read(member_rows, icbs, trust_rows)
    by_district, by_area = _icbs_by_postcode(practice_rows)
    local_authorities = {
        code: LocalAuthorityRecord(
            ods_code=code, name=links.la_names[code], icb_codes=tuple(listing)
        )
        for code, listing in links.la_icbs.items()
    }
    trusts = {
        code: TrustRecord(
            ods_code=code,
            name=trust_name(trust_rows[code]["trust_name"], links.trust_spellings[code]),
            postcode=trust_rows[code]["postcode"],
            icb_codes=tuple(listing),
            home_icb=_home_by_postcode(trust_rows[code]["postcode"], listing, by_district, by_area),
        )
        for code, listing in links.trust_icbs.items()
    }
    pcns_by_icb, unplaced = _pcns_by_icb(pcn_rows, pcn_links, practice_rows, icbs, links)
    return ReferenceData(
        icbs=icbs,
        local_authorities=local_authorities,
        trusts=trusts,
        las_by_icb=_codes_by_icb(local_authorities.values()),
        trusts_by_icb=_codes_by_icb(trusts.values()),
        practices_by_icb=_practices_by_icb(practice_rows, icbs),
        pcns_by_icb=pcns_by_icb,
        unplaced_pcns=tuple(unplaced),
    )


@dataclass
class _MemberLinks:
    """What the member file says about each ICB's sub-ICBs, local authorities and trusts.

    Its columns are parallel lists: a row's local authority and trust both belong to the
    row's ICB, but not to each other, and any cell may be blank.
    """

    sub_icb_to_icb: dict[str, str] = field(default_factory=dict)
    la_names: dict[str, str] = field(default_factory=dict)
    la_icbs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    trust_spellings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    trust_icbs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def read(
        cls,
        member_rows: list[dict[str, str]],
        icbs: dict[str, IcbRecord],
        trust_rows: dict[str, dict[str, str]],
    ) -> _MemberLinks:
        links = cls()
        for row in member_rows:
            icb = row["ODS ICB Code"]
            if icb not in icbs:
                continue
            if row["ODS Sub ICB Code"]:
                links.sub_icb_to_icb[row["ODS Sub ICB Code"]] = icb
            la_code = row["ODS LA Code"]
            if la_code and row["Local Authority"]:
                links.la_names.setdefault(la_code, row["Local Authority"])
                if icb not in links.la_icbs[la_code]:
                    links.la_icbs[la_code].append(icb)
            trust_code = row["ODS Trust Code"]
            if trust_code and trust_code in trust_rows:
                links.trust_spellings[trust_code].append(row["NHS Trusts"])
                if icb not in links.trust_icbs[trust_code]:
                    links.trust_icbs[trust_code].append(icb)
        return links


def _practices_by_icb(
    practice_rows: list[dict[str, str]], icbs: dict[str, IcbRecord]
) -> dict[str, list[SiteRecord]]:
    practices: dict[str, list[SiteRecord]] = defaultdict(list)
    for row in practice_rows:
        if row["icb_code"] in icbs:  # Welsh practices sit under the pseudo-ICB Q99
            practices[row["icb_code"]].append(
                SiteRecord(
                    ods_code=row["ods_code"],
                    name=tidy_name(row["name"]),
                    icb_code=row["icb_code"],
                    postcode=row["postcode"],
                )
            )
    return dict(practices)


def _pcns_by_icb(
    pcn_rows: list[dict[str, str]],
    pcn_links: list[dict[str, str]],
    practice_rows: list[dict[str, str]],
    icbs: dict[str, IcbRecord],
    links: _MemberLinks,
) -> tuple[dict[str, list[SiteRecord]], list[str]]:
    """Each ICB's PCNs, and the PCNs no ICB could be found for.

    A PCN's ICB comes from its sub-ICB code; where that code has since been merged away,
    from the ICB most of its member practices belong to.
    """
    icb_of_practice = {row["ods_code"]: row["icb_code"] for row in practice_rows}
    practice_icbs_of_pcn: dict[str, Counter[str]] = defaultdict(Counter)
    for link in pcn_links:
        practice_icb = icb_of_practice.get(link["practice_code"])
        if practice_icb in icbs:
            practice_icbs_of_pcn[link["pcn_code"]][practice_icb] += 1
    pcns: dict[str, list[SiteRecord]] = defaultdict(list)
    unplaced: list[str] = []
    for row in pcn_rows:
        icb_code = links.sub_icb_to_icb.get(row["sub_icb_code"])
        if icb_code is None and practice_icbs_of_pcn[row["pcn_code"]]:
            icb_code = practice_icbs_of_pcn[row["pcn_code"]].most_common(1)[0][0]
        if icb_code is None:
            unplaced.append(row["pcn_code"])
            continue
        pcns[icb_code].append(
            SiteRecord(
                ods_code=row["pcn_code"],
                name=tidy_name(row["name"]),
                icb_code=icb_code,
                postcode=row["postcode"],
            )
        )
    return dict(pcns), unplaced


def _codes_by_icb(records: Iterable[LocalAuthorityRecord | TrustRecord]) -> dict[str, list[str]]:
    """Each ICB's organisations of one kind, from the ICBs each organisation lists."""
    by_icb: dict[str, list[str]] = defaultdict(list)
    for record in records:
        for icb_code in record.icb_codes:
            by_icb[icb_code].append(record.ods_code)
    return dict(by_icb)


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
