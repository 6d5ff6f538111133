"""The organisation kinds of Vietnam's education administration since July 2025 (no districts).

They are rows, not code: an administrator can rename them, add one, or change how they nest.
"""

from django.db import migrations

TYPES = [
    ("bo", "Bộ", "Ministry", 0, False, []),
    ("tinh", "Tỉnh/Thành phố", "Province/City", 1, False, ["bo"]),
    ("xa", "Xã/Phường/Đặc khu", "Commune/Ward/Special zone", 2, False, ["tinh"]),
    ("truong", "Trường", "School", 3, True, ["bo", "tinh", "xa"]),
]


def create(apps, schema_editor):
    OrgUnitType = apps.get_model("orgs", "OrgUnitType")
    made = {}
    for slug, name, name_en, rank, is_school, _parents in TYPES:
        made[slug], _ = OrgUnitType.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "rank": rank, "is_school": is_school}
        )
    for slug, *_rest, parents in TYPES:
        made[slug].allowed_parents.add(*[made[p] for p in parents])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
