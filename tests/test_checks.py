import pytest
from django.core import checks


def ids(messages):
    return {m.id for m in messages}


def test_missing_ffmpeg_is_a_warning_with_a_hint(settings):
    settings.FFMPEG_BINARY = "/nonexistent/ffmpeg"
    messages = checks.run_checks()
    warning = next(m for m in messages if m.id == "lms.W001")
    assert "apt-get install ffmpeg" in warning.hint


@pytest.mark.django_db
def test_ffmpeg_and_sqlite_fts5_present_on_this_machine():
    # CI installs ffmpeg; Python's SQLite has FTS5. Neither check may fire here.
    assert not ids(checks.run_checks(databases=["default"])) & {"lms.W001", "lms.E001"}


def test_immediate_tasks_in_production_is_an_error(settings):
    settings.PRODUCTION = True
    settings.TASKS_BACKEND = "immediate"
    assert "lms.E002" in ids(checks.run_checks())
