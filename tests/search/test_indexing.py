"""Publishing, editing, unpublishing and deleting reach the index through tasks after commit;
with Elasticsearch down the page answers from the database (or with an error, by setting),
and the missed updates are sent when it is back."""

from __future__ import annotations

import logging

import pytest

from repository.models import MaterialPage, SharingScope
from repository.services import setup_library
from search import indexer
from search.backends.base import SearchUnavailable
from search.models import SearchPending
from search.services import search_for
from tests.repository.conftest import make_material

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def titles(user, text=""):
    return [h.title for h in search_for(user, text).hits]


def test_publish_edit_unpublish_delete_reach_the_index(engine, cast, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    setup_library()
    c = cast
    with django_capture_on_commit_callbacks(execute=True):
        page = make_material(c.teacher, c.school, title="Đường tròn ngoại tiếp", scope=SharingScope.SCHOOL)
    assert titles(c.student, "duong tron") == []  # a draft: only its author finds it
    assert titles(c.teacher, "duong tron") == ["Đường tròn ngoại tiếp"]

    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish(user=None)
    assert titles(c.student, "duong tron") == ["Đường tròn ngoại tiếp"]

    with django_capture_on_commit_callbacks(execute=True):
        page = MaterialPage.objects.get(pk=page.pk).specific
        page.title = "Đường tròn nội tiếp"
        page.save_revision(user=c.teacher).publish(user=None)
    assert titles(c.student, "duong tron") == ["Đường tròn nội tiếp"]
    assert titles(c.student, "ngoai tiep") == []

    with django_capture_on_commit_callbacks(execute=True):
        MaterialPage.objects.get(pk=page.pk).specific.unpublish()
    assert titles(c.student, "duong tron") == []
    assert titles(c.teacher, "duong tron") == ["Đường tròn nội tiếp"]

    with django_capture_on_commit_callbacks(execute=True):
        MaterialPage.objects.get(pk=page.pk).delete()
    assert titles(c.teacher, "duong tron") == []


def test_rebuild_replaces_the_whole_index(engine, cast):
    setup_library()
    page = make_material(cast.teacher, cast.school, title="Hình thang cân", scope=SharingScope.NATIONAL)
    page.get_latest_revision().publish(user=None)
    engine.index([])  # nothing indexed yet: tasks were not run in this test
    assert titles(cast.student, "hinh thang") == []
    seen = []
    done = indexer.rebuild(progress=lambda n, total: seen.append((n, total)))
    assert done == seen[-1][0] == seen[-1][1] == MaterialPage.objects.count()
    assert titles(cast.student, "hinh thang") == ["Hình thang cân"]


@pytest.mark.integration
@pytest.mark.parametrize("engine", ["elasticsearch"], indirect=True)
def test_elasticsearch_down_falls_back_or_fails_clearly_then_catches_up(engine, cast, settings, caplog):
    setup_library()
    real_url = settings.ELASTICSEARCH_URL
    page = make_material(cast.teacher, cast.school, title="Tam giác đồng dạng", scope=SharingScope.NATIONAL)
    page.get_latest_revision().publish(user=None)

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    indexer.update("material", [page.pk])
    assert SearchPending.objects.filter(key=f"material:{page.pk}").exists()

    settings.SEARCH_FALLBACK = "database"
    with caplog.at_level(logging.ERROR, logger="search.services"):
        results = search_for(cast.student, "tam giac")
    assert results.fallback and [h.title for h in results.hits] == ["Tam giác đồng dạng"]
    assert "Search unavailable" in caplog.text

    settings.SEARCH_FALLBACK = "error"
    with pytest.raises(SearchUnavailable):
        search_for(cast.student, "tam giac")

    settings.ELASTICSEARCH_URL = real_url
    assert titles(cast.student, "tam giac") == []  # Elasticsearch never received it
    assert indexer.catch_up() == 1
    assert not SearchPending.objects.exists()
    results = search_for(cast.student, "tam giac")
    assert not results.fallback and [h.title for h in results.hits] == ["Tam giác đồng dạng"]
