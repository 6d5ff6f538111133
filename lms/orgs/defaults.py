"""The organisation kinds of Vietnam's education administration since July 2025 (no districts).

They are rows, not code: an administrator can rename them, add one, or change how they nest.
These defaults are created by a migration and again, idempotently, by the loaders.
"""

# slug, name, English name, rank, is a school, may sit under
DEFAULT_UNIT_TYPES = [
    ("bo", "Bộ", "Ministry", 0, False, []),
    ("tinh", "Tỉnh/Thành phố", "Province/City", 1, False, ["bo"]),
    ("xa", "Xã/Phường/Đặc khu", "Commune/Ward/Special zone", 2, False, ["tinh"]),
    ("truong", "Trường", "School", 3, True, ["bo", "tinh", "xa"]),
]


def ensure_default_unit_types(model=None) -> dict:
    """Create the default kinds where missing; never changes ones that exist. ``model`` for migrations."""
    if model is None:
        from lms.orgs.models import OrgUnitType as model
    made = {}
    for slug, name, name_en, rank, is_school, _parents in DEFAULT_UNIT_TYPES:
        made[slug], created = model.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "rank": rank, "is_school": is_school}
        )
        if created:
            made[slug]._new = True
    for slug, *_rest, parents in DEFAULT_UNIT_TYPES:
        if getattr(made[slug], "_new", False):
            made[slug].allowed_parents.add(*[made[p] for p in parents])
    return made
