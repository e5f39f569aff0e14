"""How organisations and places are named: the reference files' capitals tidied, councils'
titles taken off, and a trust's official name in the spelling the member file uses."""

from __future__ import annotations

import re

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


def trust_name(official: str, spellings: list[str]) -> str:
    """The trust's name from trusts.csv, in the member file's mixed case when it agrees.

    The member file has a few older names and one row that pairs a code with another
    trust's name, so it only lends its capitalisation, never a different name.
    """
    for spelling in spellings:
        if spelling.casefold() == official.casefold():
            return spelling
    return tidy_name(official)
