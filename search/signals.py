"""Changes to materials reach the index through tasks enqueued after the transaction commits.

Publishing, unpublishing, saving a draft (a new revision saves the page row), moving and
deleting a material all save or delete its row, so ``post_save``/``post_delete`` on material
pages catch every one; Wagtail's ``page_published``/``page_unpublished`` are connected too, for
code paths that change a page without saving it. The ids of one transaction go in one task.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

logger = logging.getLogger(__name__)
_pending = threading.local()


def schedule(doc_type: str, object_id: int) -> None:
    """Index ``object_id`` once the current transaction commits (deduplicated per transaction)."""
    queued = getattr(_pending, "ids", None)
    if queued is None:
        queued = _pending.ids = defaultdict(set)
    queued[doc_type].add(int(object_id))
    # One callback per call: after a rollback the ids wait for the next commit (reindexing is idempotent).
    transaction.on_commit(_flush)


def _flush() -> None:
    queued = getattr(_pending, "ids", None) or {}
    _pending.ids = defaultdict(set)
    for doc_type, ids in queued.items():
        if ids:
            send(doc_type, sorted(ids))


def send(doc_type: str, ids: list[int]) -> None:
    from search.tasks import index_objects

    task = index_objects
    try:
        if "search" in (index_objects.get_backend().queues or ()):
            task = index_objects.using(queue_name="search")
        task.enqueue(doc_type, ids)
    except Exception:  # the change is committed; a failed enqueue must not fail the request
        logger.exception("Could not enqueue search indexing of %s %s; run search_index rebuild", doc_type, ids)


def _material_changed(sender, instance, **kwargs):
    from repository.models import MaterialPage

    if isinstance(instance, MaterialPage) and instance.pk:
        schedule("material", instance.pk)


def connect() -> None:
    post_save.connect(_material_changed, dispatch_uid="search.material_saved")
    post_delete.connect(_material_changed, dispatch_uid="search.material_deleted")
    page_published.connect(_material_changed, dispatch_uid="search.material_published")
    page_unpublished.connect(_material_changed, dispatch_uid="search.material_unpublished")
