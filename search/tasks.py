"""Index updates as background tasks: they take ids, load fresh rows and are safe to run twice.

They go to the "search" queue when the backend has one (search.signals.send)."""

from __future__ import annotations

from django_tasks import task

from search import indexer


@task()
def index_objects(doc_type: str, ids: list[int]) -> list[int]:
    indexed, deleted = indexer.update(doc_type, ids)
    return [indexed, deleted]


@task()
def catch_up() -> int:
    return indexer.catch_up()
