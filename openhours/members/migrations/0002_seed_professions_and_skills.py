from django.db import migrations


def seed(apps, schema_editor):
    from openhours.members.reference import install

    install(apps.get_model("members", "Profession"), apps.get_model("members", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_professions_skills_profiles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
