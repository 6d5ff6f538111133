"""Keeping the index in step with the objects: update, rebuild, catch up.

The database document table is always kept (it is the database engine, and the fallback when
Elasticsearch is down); with ``SEARCH_ENGINE=elasticsearch`` each change also goes to
Elasticsearch. A change Elasticsearch misses is recorded in ``SearchPending`` and pushed again
by ``catch_up`` (after the next successful write, by the ``search_catch_up`` task and by
``manage.py search_index catchup``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import transaction

from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.documents import SearchDoc, document_type, document_types, split_key
from search.models import SearchPending

logger = logging.getLogger(__name__)
BATCH = 500


def uses_elasticsearch() -> bool:
    return settings.SEARCH_ENGINE == "elasticsearch"


def update(doc_type: str, ids: Iterable[int]) -> tuple[int, int]:
    """Index the objects that belong in the index, delete the others. Returns (indexed, deleted)."""
    ids = sorted(set(ids))
    docs = document_type(doc_type).build(ids)
    present = [docs[i] for i in ids if i in docs]
    absent = [f"{doc_type}:{i}" for i in ids if i not in docs]
    database = get_backend("database")
    with transaction.atomic():
        database.index(present)
        database.delete(absent)
    if uses_elasticsearch():
        _push_to_elasticsearch(present, absent)
    return len(present), len(absent)


def _push_to_elasticsearch(present: list[SearchDoc], absent: list[str]) -> bool:
    engine = get_backend("elasticsearch")
    try:
        engine.index(present)
        engine.delete(absent)
    except SearchUnavailable as error:
        keys = [d.key for d in present] + absent
        SearchPending.objects.bulk_create([SearchPending(key=k) for k in keys], ignore_conflicts=True)
        logger.warning("Search index update deferred for %d document(s): %s", len(keys), error)
        return False
    if SearchPending.objects.exists():
        catch_up()
    return True


def catch_up(limit: int = 5000) -> int:
    """Push documents Elasticsearch missed. Returns how many were sent; 0 if it is still down."""
    if not uses_elasticsearch():
        SearchPending.objects.all().delete()
        return 0
    keys = list(SearchPending.objects.order_by("created_at").values_list("key", flat=True)[:limit])
    by_type: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        doc_type, object_id = split_key(key)
        by_type[doc_type].append(object_id)
    sent = 0
    engine = get_backend("elasticsearch")
    for doc_type, ids in by_type.items():
        docs = document_type(doc_type).build(ids)
        try:
            engine.index(list(docs.values()))
            engine.delete([f"{doc_type}:{i}" for i in ids if i not in docs])
        except SearchUnavailable as error:
            logger.warning("Search catch-up stopped, Elasticsearch still unavailable: %s", error)
            return sent
        SearchPending.objects.filter(key__in=[f"{doc_type}:{i}" for i in ids]).delete()
        sent += len(ids)
    if sent:
        logger.info("Search catch-up sent %d document(s) to Elasticsearch.", sent)
    return sent


def all_batches(types: Iterable[str] | None = None) -> Iterator[list[SearchDoc]]:
    for name, dtype in document_types().items():
        if types and name not in types:
            continue
        batch: list[int] = []
        for object_id in dtype.ids():
            batch.append(object_id)
            if len(batch) == BATCH:
                yield list(dtype.build(batch).values())
                batch = []
        if batch:
            yield list(dtype.build(batch).values())


def total_objects() -> int:
    return sum(t.count() for t in document_types().values())


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the database store and, at scale, a new Elasticsearch index behind the alias."""
    total = total_objects()
    database = get_backend("database")
    if not uses_elasticsearch():
        return database.rebuild(all_batches(), total, progress)
    with transaction.atomic():
        database.clear()

        def tee():
            for batch in all_batches():
                database.index(batch)
                yield batch

        done = get_backend("elasticsearch").rebuild(tee(), total, progress)
        SearchPending.objects.all().delete()
    return done
