"""Vietnamese first: every message catalogue is complete, with no fuzzy or empty entries."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert {p.parts[-5] for p in CATALOGUES} >= {"lms", "frontend"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    assert po.metadata.get("Language") == "vi"
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy
    for entry in po.translated_entries():
        # Placeholders must survive translation, or the page crashes at run time.
        for placeholder in ("%(", "{"):
            assert entry.msgid.count(placeholder) == entry.msgstr.count(placeholder) or entry.msgid_plural, entry.msgid
