"""The operators' commands: rebuild with a progress bar, status, catch-up, and search from the shell."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from repository.models import SharingScope
from repository.services import setup_library
from tests.repository.conftest import make_material

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rebuild_then_search_prints_results_with_filters(engine, cast):
    setup_library()
    for title, grade in (("Phân số và phép cộng", 6), ("Phân số thập phân", 7)):
        page = make_material(cast.teacher, cast.school, title=title, scope=SharingScope.NATIONAL, grade=grade)
        page.get_latest_revision().publish(user=None)
    out, err = run("search_index", "rebuild")
    assert "Indexed 2 document(s)" in out
    assert "100%" in err and "2/2" in err  # the progress bar reached the end

    out, _err = run("search", "phan so", "--grade", "6", "--subject", "toan")
    assert "1 result(s)" in out and "Phân số và phép cộng" in out and "thập phân" not in out
    out, _err = run("search", "phan so", "--sort", "newest")
    assert out.index("Phân số thập phân") < out.index("Phân số và phép cộng")
    assert "grade: 6 (1), 7 (1)" in out

    out, _err = run("search_index", "status")
    assert f"engine: {engine.name}" in out and "database documents: 2" in out


def test_search_as_a_user_and_unknown_user(engine, cast):
    with pytest.raises(CommandError, match="No user"):
        run("search", "x", "--as", "nobody-here")
    out, _err = run("search", "x", "--as", cast.student.username)
    assert "0 result(s)" in out


def test_catchup_with_nothing_waiting(engine):
    out, _err = run("search_index", "catchup")
    assert "0 still waiting" in out
