"""Group sessions count in the facts; the next refresh rebuilds, so past sessions do too."""

from typing import Any

from django.db import migrations, models


def rebuild_on_next_refresh(apps: Any, schema_editor: Any) -> None:
    # Without a watermark, refresh_insight rebuilds everything (refresh.refresh).
    apps.get_model("insight", "RefreshState").objects.update(exchanges_seen_until=None)


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0005_request_skill_ids_and_spanner_index"),
        ("group_sessions", "0002_giver_is_never_an_attendee_and_append_only_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exchangefact",
            name="exchange_id",
            field=models.IntegerField(
                help_text=(
                    "The exchange's id; for a group-session attendance, minus the attendance's id."
                ),
                primary_key=True,
                serialize=False,
            ),
        ),
        migrations.RunPython(rebuild_on_next_refresh, migrations.RunPython.noop),
    ]
