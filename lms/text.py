"""Vietnamese text helpers shared by every app: NFC normalisation, folding, slugs."""

from __future__ import annotations

import re
import unicodedata


def nfc(value: str) -> str:
    """Text is stored NFC-normalised, whatever the keyboard or the import produced."""
    return unicodedata.normalize("NFC", value) if value else value


def fold(value: str) -> str:
    """Remove tones and marks (đ → d) and lower-case: "Toán lớp 6" → "toan lop 6"."""
    if not value:
        return ""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).casefold()


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify_vi(value: str) -> str:
    """Slug rule of the curriculum data: lower-case ASCII, marks removed, đ→d, spaces→"-"."""
    return _NON_SLUG.sub("-", fold(value)).strip("-")
