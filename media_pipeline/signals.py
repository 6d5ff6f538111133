"""Signals of the pipeline, and the handlers that keep storage in step with the database.

``transcode_progress(job_id, progress)`` is sent by the worker each time a job's
percentage changes (in the worker process): hook a live progress display or a
test to it. Deleting a video (or a caption) deletes its objects in storage once
the deletion commits, whichever code path deleted the row.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

transcode_progress = Signal()  # kwargs: job_id, progress


def delete_video_files(sender, instance, **kwargs) -> None:
    from media_pipeline.storage import delete_prefix, get_storage

    def delete(prefix: str) -> None:
        try:
            delete_prefix(get_storage(), prefix)
        except Exception:
            logger.exception("Could not delete the files under %s", prefix)

    transaction.on_commit(partial(delete, instance.prefix))


def delete_caption_file(sender, instance, **kwargs) -> None:
    name = instance.file.name
    if not name:
        return

    def delete() -> None:
        try:
            instance.file.storage.delete(name)
        except Exception:
            logger.exception("Could not delete caption file %s", name)

    transaction.on_commit(delete)


def connect() -> None:
    from django.db.models.signals import post_delete

    from media_pipeline.models import Caption, LectureVideo

    post_delete.connect(delete_video_files, sender=LectureVideo, dispatch_uid="media_pipeline.delete_video_files")
    post_delete.connect(delete_caption_file, sender=Caption, dispatch_uid="media_pipeline.delete_caption_file")
