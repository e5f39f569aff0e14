"""Seed the notional-value table from PSSRU Unit Costs of Health and Social Care 2024.

The CSV ships in openhours/insight/data/ (Open Government Licence v3.0). Rows that
already exist are left alone, so a coordinator's edits in the admin survive.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[1] / "data" / "unit_costs_2024.csv"


def seed(apps, schema_editor):
    UnitCost = apps.get_model("insight", "UnitCost")
    with CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cost = row["cost_per_hour_gbp"].strip()
            source = f"PSSRU Unit Costs of Health and Social Care 2024, {row['pssru_table_ref']}".strip(", ")
            if row["is_proxy"] == "true":
                source += f" (proxy: {row['proxy_source']})"
            UnitCost.objects.get_or_create(
                role_group=row["practitioner_role_group"].strip(),
                defaults={
                    "pence_per_hour": int(Decimal(cost) * 100) if cost else None,
                    "is_proxy": row["is_proxy"] == "true",
                    "source": source[:300],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_fact_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
