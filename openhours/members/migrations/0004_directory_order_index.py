"""An index on accounts_user in the directory's order (full name, then id).

The directory lists members by name; without an index in that order, its first page sorts
every visible profile (about 90,000 at 100,000 members). With it, a page walks the index
and stops after its rows. It lives here, beside the directory that needs it, as plain SQL
(the same statement on SQLite and PostgreSQL), because the table is accounts' and this
app declares no model of it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_user"),
        ("members", "0003_member_blocks"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS members_user_directory_order "
            "ON accounts_user (full_name, id)",
            reverse_sql="DROP INDEX IF EXISTS members_user_directory_order",
        ),
    ]
