"""The organisation import, run against the reference CSVs that ship with OpenHours.

Expected counts come from the data files: NHS Bristol, North Somerset and South
Gloucestershire ICB (QUY) lists 3 local authorities and 4 trusts, and the practice and PCN
files hold 77 practices and 20 PCNs for it.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openhours.organisations.importer import (
    import_organisations,
    load_reference_data,
    place_name,
    tidy_name,
)
from openhours.organisations.models import ICB, Organisation, OrganisationKind, Place
from openhours.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

QUY_NAME = "NHS Bristol, North Somerset and South Gloucestershire Integrated Care Board"


def kinds() -> dict[str, int]:
    return {
        kind: Organisation.objects.filter(kind=kind).count()
        for kind in OrganisationKind.values
        if Organisation.objects.filter(kind=kind).exists()
    }


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Organisation.objects.order_by("ods_code").values_list(
            "ods_code", "name", "kind", "icb__ods_code", "place__code", "postcode", "is_active"
        )
    )


def test_it_imports_one_icb() -> None:
    report = import_organisations(icb_codes=["QUY"])

    icb = ICB.objects.get()
    assert (icb.ods_code, icb.gss_code, icb.name, icb.region) == (
        "QUY",
        "E54000039",
        QUY_NAME,
        "South West",
    )
    assert sorted(Place.objects.values_list("code", "name")) == [
        ("909", "Bristol"),
        ("910", "North Somerset"),
        ("911", "South Gloucestershire"),
    ]
    assert kinds() == {
        "nhs_trust": 4,
        "gp_practice": 77,
        "pcn": 20,
        "icb": 1,
        "local_authority": 3,
    }
    assert Organisation.objects.filter(icb=icb).count() == 105
    assert report.organisations["gp_practice"].created == 77
    assert report.places.created == 3


def test_it_records_what_the_data_says_about_each_kind() -> None:
    import_organisations(icb_codes=["QUY"])

    trust = Organisation.objects.get(ods_code="RVJ")
    assert (trust.name, trust.kind, trust.postcode) == (
        "North Bristol NHS Trust",
        "nhs_trust",
        "BS10 5NB",
    )
    council = Organisation.objects.get(ods_code="909")
    assert (council.name, council.kind, council.place.name) == (
        "Bristol City Council",
        "local_authority",
        "Bristol",
    )
    assert Organisation.objects.get(ods_code="QUY", kind="icb").name == QUY_NAME
    # Names in capitals become the way people write them.
    assert Organisation.objects.filter(kind="pcn", name="Bristol Inner City PCN").exists()


def test_place_is_left_empty_when_the_icb_has_several() -> None:
    import_organisations(icb_codes=["QUY"])

    unplaced = Organisation.objects.exclude(kind="local_authority").filter(place__isnull=True)
    assert unplaced.count() == 102


def test_place_is_set_when_the_icb_has_only_one() -> None:
    import_organisations(icb_codes=["QSL"])

    somerset = Place.objects.get(icb__ods_code="QSL")
    assert somerset.name == "Somerset"
    practices = Organisation.objects.filter(kind="gp_practice")
    assert practices.count() == 62
    assert set(practices.values_list("place", flat=True)) == {somerset.pk}


def test_rerunning_changes_nothing() -> None:
    import_organisations(icb_codes=["QUY"])
    before = snapshot()

    report = import_organisations(icb_codes=["QUY"])

    assert report.changed == 0
    assert report.icbs.unchanged == 1
    assert report.places.unchanged == 3
    assert sum(t.unchanged for t in report.organisations.values()) == 105
    assert snapshot() == before
    assert ICB.objects.count() == 1
    assert Place.objects.count() == 3


def test_it_puts_back_what_was_changed_by_hand() -> None:
    import_organisations(icb_codes=["QUY"])
    Organisation.objects.filter(ods_code="RVJ").update(name="Somebody's Typo", postcode="")

    report = import_organisations(icb_codes=["QUY"])

    assert report.organisations["nhs_trust"].updated == 1
    assert report.organisations["nhs_trust"].unchanged == 3
    assert Organisation.objects.get(ods_code="RVJ").name == "North Bristol NHS Trust"


def test_it_leaves_a_retired_organisation_retired() -> None:
    import_organisations(icb_codes=["QUY"])
    Organisation.objects.filter(ods_code="RVJ").update(is_active=False)

    report = import_organisations(icb_codes=["QUY"])

    assert report.changed == 0
    assert Organisation.objects.get(ods_code="RVJ").is_active is False


def test_it_adopts_an_existing_organisation_with_the_same_ods_code() -> None:
    OrganisationFactory(ods_code="RVJ", name="North Bristol", kind="other")

    import_organisations(icb_codes=["QUY"])

    org = Organisation.objects.get(ods_code="RVJ")
    assert (org.name, org.kind, org.icb.ods_code) == ("North Bristol NHS Trust", "nhs_trust", "QUY")


def test_a_trust_serving_several_icbs_is_recorded_once_against_its_home_icb() -> None:
    # Avon and Wiltshire Mental Health Partnership (RVN) serves QUY and QOX; its
    # headquarters are in Bath, in QOX.
    import_organisations(icb_codes=["QUY"])
    assert Organisation.objects.get(ods_code="RVN").icb.ods_code == "QUY"

    import_organisations(icb_codes=["QOX"])
    assert Organisation.objects.get(ods_code="RVN").icb.ods_code == "QOX"

    report = import_organisations(icb_codes=["QUY"])
    assert report.changed == 0
    assert Organisation.objects.filter(ods_code="RVN").count() == 1
    assert Organisation.objects.get(ods_code="RVN").icb.ods_code == "QOX"


def test_a_pcn_with_a_retired_sub_icb_code_takes_its_practices_icb() -> None:
    # Heeley Plus PCN names sub-ICB 03N, merged away; its practices are in South Yorkshire.
    import_organisations(icb_codes=["QF7"])

    pcn = Organisation.objects.get(ods_code="U12376")
    assert (pcn.kind, pcn.icb.ods_code) == ("pcn", "QF7")


def test_it_imports_all_of_england() -> None:
    report = import_organisations()

    assert ICB.objects.count() == 42
    assert kinds() == {
        "nhs_trust": 207,
        "gp_practice": 6348,  # the file's other 402 practices are Welsh
        "pcn": 1264,
        "icb": 42,
        "local_authority": 145,
    }
    assert report.changed == 42 + Place.objects.count() + 8006
    assert not Organisation.objects.filter(icb__isnull=True).exists()
    assert not Organisation.objects.filter(kind="local_authority", place__isnull=True).exists()

    assert import_organisations().changed == 0


def test_the_command_prints_a_summary() -> None:
    out = StringIO()

    call_command("import_organisations", "--icb", "quy", stdout=out)
    call_command("import_organisations", "--icb", "QUY", stdout=out)

    text = out.getvalue()
    assert "GP practices (77): 77 created, 0 updated, 0 unchanged" in text
    assert "GP practices (77): 0 created, 0 updated, 77 unchanged" in text
    assert "Nothing to change." in text


def test_it_refuses_an_unknown_icb() -> None:
    with pytest.raises(CommandError) as error:
        call_command("import_organisations", "--icb", "XYZ", stdout=StringIO())

    assert "XYZ" in str(error.value)
    assert "--list" in str(error.value)
    assert not Organisation.objects.exists()


def test_it_suggests_a_code_when_given_a_name() -> None:
    with pytest.raises(CommandError, match=r"Did you mean QUY \(NHS Bristol"):
        call_command("import_organisations", "--icb", "Bristol", stdout=StringIO())


def test_it_lists_the_icb_codes() -> None:
    out = StringIO()

    call_command("import_organisations", "--list", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 42
    assert f"QUY  {QUY_NAME}" in lines
    assert not ICB.objects.exists()


def test_it_refuses_a_data_dir_without_the_files(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is missing"):
        call_command("import_organisations", "--all", "--data-dir", str(tmp_path))


def test_the_reference_data_is_consistent() -> None:
    reference = load_reference_data()

    assert len(reference.icbs) == 42
    assert reference.unplaced_pcns == ()
    # The member file pairs RYE with another trust's name; trusts.csv wins.
    assert reference.trusts["RYE"].name == "South Central Ambulance Service NHS Foundation Trust"


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("THE DENSHAM SURGERY", "The Densham Surgery"),
        ("ST JOHN'S MEDICAL CENTRE", "St John's Medical Centre"),
        ("DR MCKENZIE & PARTNERS", "Dr McKenzie & Partners"),
        ("O'CONNELL HEALTH CENTRE", "O'Connell Health Centre"),
        ("STOCKTON-ON-TEES PCN", "Stockton-on-Tees PCN"),
        ("4PCN (BNSSG) PCN", "4PCN (BNSSG) PCN"),
        ("THE 4TH STREET PRACTICE", "The 4th Street Practice"),
        ("FOSS (FIRECLAY & OLD SCHOOL SURGERY) PCN", "Foss (Fireclay & Old School Surgery) PCN"),
        ("North Bristol NHS Trust", "North Bristol NHS Trust"),
    ],
)
def test_it_tidies_names_written_in_capitals(raw: str, tidy: str) -> None:
    assert tidy_name(raw) == tidy


@pytest.mark.parametrize(
    ("council", "place"),
    [
        ("Bristol City Council", "Bristol"),
        ("South Gloucestershire Council", "South Gloucestershire"),
        ("London Borough of Lambeth Council", "Lambeth"),
        ("City of Bradford Metropolitan District Council", "Bradford"),
        ("Corporation of the City of London", "City of London"),
        ("Council of the Isles of Scilly", "Isles of Scilly"),
        ("Royal Borough of Greenwich", "Greenwich"),
    ],
)
def test_a_place_is_named_after_its_area_not_its_council(council: str, place: str) -> None:
    assert place_name(council) == place
