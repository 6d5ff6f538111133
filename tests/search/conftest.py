"""The contract suite runs on every engine: the database (SQLite FTS5 embedded, PostgreSQL at
scale) and Elasticsearch (a real server, marked integration: missing, it fails, never skips)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from search.backends import get_backend
from search.documents import DRAFT, PUBLISHED, SearchDoc
from tests.integration.conftest import required_env

ENGINES = ["database", pytest.param("elasticsearch", marks=pytest.mark.integration)]


@pytest.fixture(params=ENGINES)
def engine(request, settings, db):
    """The engine under test, empty, selected in settings for the services and the indexer."""
    name = request.param
    settings.SEARCH_ENGINE = name
    if name == "elasticsearch":
        settings.ELASTICSEARCH_URL = required_env("ELASTICSEARCH_URL")
        settings.ELASTICSEARCH_INDEX_PREFIX = f"lms-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        settings.SEARCH_ELASTICSEARCH_REFRESH = True
        backend = get_backend(name)
        backend.check()
        yield backend
        backend.drop()
    else:
        yield get_backend(name)


def doc(object_id, title, *, grade=6, subject="toan", kind="lessonpage", summary="", body="", keywords="", **extra):
    grades = grade if isinstance(grade, list) else [grade]
    facets = {
        "type": ["material"],
        "grade": [str(g) for g in grades],
        "subject": [subject],
        "kind": [kind],
        "level": ["thcs" if min(grades) >= 6 else "tieu-hoc"],
        "series": [extra.pop("series", "ket-noi-tri-thuc")],
        "licence": ["CC-BY-SA-4.0"],
    }
    return SearchDoc(
        doc_type="material",
        object_id=object_id,
        title=title,
        url=f"/m/{object_id}/",
        summary=summary,
        body=body,
        keywords=keywords,
        facets=facets,
        status=extra.pop("status", PUBLISHED),
        owner_id=extra.pop("owner_id", None),
        audience=extra.pop("audience", ""),
        published_at=extra.pop("published_at", datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=object_id)),
        popularity=extra.pop("popularity", 0),
        labels={"subject": subject},
        **extra,
    )


__all__ = ["DRAFT", "ENGINES", "PUBLISHED", "doc"]
