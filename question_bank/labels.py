"""Translatable names of the registered question types (the registry keeps English labels).

``type_label(key)`` gives the name in the active language; the ``gettext_noop`` list puts the
labels in the message catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from question_bank.types import REGISTRY

TYPE_LABELS = (
    gettext_noop("Multiple choice (one answer)"),
    gettext_noop("Multiple choice (several answers)"),
    gettext_noop("True/False"),
    gettext_noop("True/False group (2025 exam, Đúng–Sai)"),
    gettext_noop("Short answer"),
    gettext_noop("Numeric"),
    gettext_noop("Short numeric answer (2025 exam)"),
    gettext_noop("Matching"),
    gettext_noop("Ordering"),
    gettext_noop("Essay"),
    gettext_noop("Description"),
    gettext_noop("Embedded answers (Cloze)"),
)


def type_label(key: str) -> str:
    qtype = REGISTRY.get(key)
    return gettext(qtype.label) if qtype else key


def type_choices() -> list[tuple[str, str]]:
    return [(key, type_label(key)) for key in REGISTRY]
