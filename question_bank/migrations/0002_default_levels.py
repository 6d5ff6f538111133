from django.db import migrations

from question_bank.levels import ensure_default_levels


def create(apps, schema_editor):
    ensure_default_levels(
        apps.get_model("question_bank", "LevelScheme"),
        apps.get_model("question_bank", "CognitiveLevel"),
        apps.get_model("question_bank", "LevelMapping"),
    )


class Migration(migrations.Migration):
    dependencies = [("question_bank", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
