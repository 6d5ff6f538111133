"""Cognitive-level schemes as data, and the defaults shipped with the platform.

A school writes its tests in one scheme; questions carry a level of any scheme and the
mapping rows say which level of another scheme each one counts as. The defaults:

* ``bon-muc`` — Nhận biết, Thông hiểu, Vận dụng, Vận dụng cao (the customary four levels);
* ``cv7991`` — Biết, Hiểu, Vận dụng (Công văn 7991/BGDĐT-GDTrH, 2024 test template);
* ``tt27`` — Mức 1, Mức 2, Mức 3 (Circular 27/2020, primary schools).

Mapping (both ways where it is one to one): NB ↔ Biết ↔ Mức 1, TH ↔ Hiểu ↔ Mức 2,
VD ↔ Vận dụng ↔ Mức 3, and VD cao → Vận dụng / Mức 3 (the three-level schemes have no
"high application", so their top level maps back to plain VD).

Created by a data migration and again, idempotently, after every migrate (a test flush
empties tables without re-running data migrations). Rows that exist are never changed.
"""

from __future__ import annotations

# scheme slug, name, order, [(code, name, short name, rank)]
DEFAULT_SCHEMES = [
    (
        "bon-muc",
        "Bốn mức độ (Nhận biết – Thông hiểu – Vận dụng – Vận dụng cao)",
        1,
        [
            ("nb", "Nhận biết", "NB", 1),
            ("th", "Thông hiểu", "TH", 2),
            ("vd", "Vận dụng", "VD", 3),
            ("vdc", "Vận dụng cao", "VDC", 4),
        ],
    ),
    (
        "cv7991",
        "Ba mức độ theo Công văn 7991/BGDĐT-GDTrH (Biết – Hiểu – Vận dụng)",
        2,
        [
            ("biet", "Biết", "B", 1),
            ("hieu", "Hiểu", "H", 2),
            ("van-dung", "Vận dụng", "VD", 3),
        ],
    ),
    (
        "tt27",
        "Ba mức theo Thông tư 27/2020/TT-BGDĐT (Mức 1 – Mức 2 – Mức 3)",
        3,
        [
            ("muc-1", "Mức 1", "M1", 1),
            ("muc-2", "Mức 2", "M2", 2),
            ("muc-3", "Mức 3", "M3", 3),
        ],
    ),
]

# (scheme, code) -> [(scheme, code)] it counts as
DEFAULT_MAPPINGS = {
    ("bon-muc", "nb"): [("cv7991", "biet"), ("tt27", "muc-1")],
    ("bon-muc", "th"): [("cv7991", "hieu"), ("tt27", "muc-2")],
    ("bon-muc", "vd"): [("cv7991", "van-dung"), ("tt27", "muc-3")],
    ("bon-muc", "vdc"): [("cv7991", "van-dung"), ("tt27", "muc-3")],
    ("cv7991", "biet"): [("bon-muc", "nb"), ("tt27", "muc-1")],
    ("cv7991", "hieu"): [("bon-muc", "th"), ("tt27", "muc-2")],
    ("cv7991", "van-dung"): [("bon-muc", "vd"), ("tt27", "muc-3")],
    ("tt27", "muc-1"): [("bon-muc", "nb"), ("cv7991", "biet")],
    ("tt27", "muc-2"): [("bon-muc", "th"), ("cv7991", "hieu")],
    ("tt27", "muc-3"): [("bon-muc", "vd"), ("cv7991", "van-dung")],
}


def ensure_default_levels(scheme_model=None, level_model=None, mapping_model=None) -> None:
    """Create the default schemes, levels and mappings where missing. Models given for migrations."""
    if scheme_model is None:
        from question_bank.models import CognitiveLevel as level_model
        from question_bank.models import LevelMapping as mapping_model
        from question_bank.models import LevelScheme as scheme_model
    levels = {}
    for slug, name, order, rows in DEFAULT_SCHEMES:
        scheme, _created = scheme_model.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
        for code, level_name, short, rank in rows:
            levels[(slug, code)], _created = level_model.objects.get_or_create(
                scheme=scheme, code=code, defaults={"name": level_name, "short_name": short, "rank": rank}
            )
    for source, targets in DEFAULT_MAPPINGS.items():
        for target in targets:
            source_level, target_level = levels[source], levels[target]
            if not mapping_model.objects.filter(source=source_level, target__scheme=target_level.scheme_id).exists():
                mapping_model.objects.create(source=source_level, target=target_level)
