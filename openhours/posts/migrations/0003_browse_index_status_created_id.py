"""An index in the browse page's order, (status, created_at DESC, id DESC).

With it a page of results, searched or not, reads the newest posts of one status in order
and stops once it has its 20, on SQLite and PostgreSQL alike.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("posts", "0002_full_text_search")]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["status", "-created_at", "-id"], name="posts_status_created"
            ),
        ),
    ]
