from django.db import migrations

from lms.orgs.defaults import ensure_default_unit_types


def create(apps, schema_editor):
    ensure_default_unit_types(apps.get_model("orgs", "OrgUnitType"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
