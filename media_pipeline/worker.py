"""One attempt of a transcode job, as the worker runs it: claim, probe, transcode, upload, switch.

The attempt reports progress through a ``Heartbeat`` (which also proves the
worker alive and carries the cancel switch), writes a new generation, and
makes it current in one transaction (``switch_generation``). Whatever goes
wrong ends in ``jobs.settle`` (retry, fail, cancel) rather than an exception
escaping to the task runner.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from functools import partial
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from media_pipeline import signals
from media_pipeline.conf import media_settings
from media_pipeline.errors import (
    MESSAGES,
    LostOwnership,
    MediaError,
    ProbeRejected,
    TranscodeCancelled,
    TranscodeFailed,
)
from media_pipeline.jobs import (
    apply_probe,
    claim,
    delete_generation,
    discard_own_generation,
    settle,
    work_dir_prefix,
    worker_identity,
)
from media_pipeline.models import JobState, LectureVideo, TranscodeJob, VideoRendition, VideoStatus
from media_pipeline.probe import check_size, probe_file
from media_pipeline.storage import get_storage, local_copy, upload_outputs
from media_pipeline.subtitles import sync_subtitles_quietly
from media_pipeline.transcode import TranscodeResult, transcode

logger = logging.getLogger(__name__)

# Progress shares: encoding up to 90 %, uploading to 99 %, the switch makes it 100 %.
ENCODE_SHARE = 90.0
UPLOAD_SHARE = 9.0


class Heartbeat:
    """Progress reporting that doubles as the job's proof of life and its cancel switch.

    Called often (every ffmpeg progress line, every uploaded file); writes to the
    database at most every ``interval`` seconds. Raises ``LostOwnership`` when the
    job is no longer ours (recovered as stale by another process).
    """

    def __init__(self, job: TranscodeJob, worker: str, interval: float):
        self.job_id = job.pk
        self.worker = worker
        self.interval = interval
        self.progress = 0
        self.cancel_requested = False
        self._last_write = float("-inf")

    def beat(self, percent: float, *, force: bool = False) -> None:
        value = max(self.progress, min(100, int(percent)))
        if value != self.progress:
            self.progress = value
            signals.transcode_progress.send(sender=TranscodeJob, job_id=self.job_id, progress=value)
        now = time.monotonic()
        if not force and now - self._last_write < self.interval:
            return
        self._last_write = now
        alive = TranscodeJob.objects.filter(pk=self.job_id, state=JobState.RUNNING, worker_id=self.worker).update(
            heartbeat_at=timezone.now(), progress=self.progress
        )
        if not alive:
            raise LostOwnership(f"job {self.job_id} is no longer held by {self.worker}")
        self.cancel_requested = bool(
            TranscodeJob.objects.filter(pk=self.job_id).values_list("cancel_requested", flat=True).first()
        )

    def should_stop(self) -> bool:
        self.beat(self.progress)
        return self.cancel_requested


def process_job(job_id: int) -> str:
    """Run one attempt of the job; never raises for a bad input or a failed attempt.

    Returns the job's state afterwards ("skipped" when there was nothing to claim,
    "deleted" when the video went while it ran).
    """
    worker = worker_identity()
    job = claim(job_id, worker)
    if job is None:
        return "skipped"
    conf = media_settings()
    storage = get_storage()
    heartbeat = Heartbeat(job, worker, conf.heartbeat_seconds)
    work_dir = Path(tempfile.mkdtemp(prefix=work_dir_prefix(job.pk), dir=conf.work_dir))
    logger.info("Transcode job %s attempt %s started by %s", job.pk, job.attempts, worker)
    settled: str | None = JobState.SUCCEEDED
    try:
        _run_attempt(job, heartbeat, storage, work_dir)
    except TranscodeCancelled:
        settled = settle(job.pk, worker, JobState.CANCELLED)
    except LostOwnership:
        logger.warning("Transcode job %s was taken over or deleted; attempt by %s stops", job.pk, worker)
        settled = None
    except ProbeRejected as exc:
        settled = settle(job.pk, worker, JobState.FAILED, code=exc.code, message=exc.render(), rejection=exc)
    except MediaError as exc:
        detail, retry = getattr(exc, "detail", ""), not exc.permanent
        settled = settle(
            job.pk, worker, JobState.FAILED, code=exc.code, message=exc.render(), detail=detail, retry=retry
        )
    except Exception as exc:
        logger.exception("Transcode job %s failed unexpectedly", job.pk)
        message = str(MESSAGES["internal_error"])
        settled = settle(
            job.pk, worker, JobState.FAILED, code="internal_error", message=message, detail=repr(exc), retry=True
        )
    except BaseException:
        # The worker is shutting down (SystemExit, Ctrl-C): hand the job back at once.
        settle(job.pk, worker, JobState.FAILED, code="worker_lost", message=str(MESSAGES["worker_lost"]), retry=True)
        raise
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if settled is None:
        # The job was taken over or deleted: nobody else knows what this attempt wrote.
        discard_own_generation(storage, job.output_prefix)
    state = TranscodeJob.objects.filter(pk=job.pk).values_list("state", flat=True).first()
    logger.info("Transcode job %s attempt %s ended: %s", job.pk, job.attempts, state or "deleted")
    return str(state or "deleted")


def _run_attempt(job: TranscodeJob, heartbeat: Heartbeat, storage, work_dir: Path) -> None:
    conf = media_settings()
    video = LectureVideo.objects.get(pk=job.video_id)
    if not video.original:
        raise TranscodeFailed("missing_original", MESSAGES["missing_original"])
    try:
        size = storage.size(video.original.name)
    except FileNotFoundError:
        raise TranscodeFailed("missing_original", MESSAGES["missing_original"]) from None
    if video.probed_at is None:
        _set_video_status(video, VideoStatus.PROBING)
    check_size(size)
    with local_copy(storage, video.original.name, work_dir, on_chunk=lambda: heartbeat.beat(0)) as source:
        probe = probe_file(source, size=size)
        if video.probed_at is None:
            apply_probe(video, probe)
            video.save()
        _set_video_status(video, VideoStatus.TRANSCODING)
        heartbeat.beat(0, force=True)
        out_dir = work_dir / "out"
        out_dir.mkdir()
        result = transcode(
            source,
            probe,
            out_dir,
            on_progress=lambda percent: heartbeat.beat(percent * ENCODE_SHARE / 100),
            should_stop=heartbeat.should_stop,
        )
    heartbeat.beat(ENCODE_SHARE, force=True)
    upload_outputs(
        storage,
        job.output_prefix,
        out_dir,
        result.files,
        concurrency=conf.upload_concurrency,
        on_file=lambda done, total: heartbeat.beat(ENCODE_SHARE + UPLOAD_SHARE * done / total),
    )
    if heartbeat.should_stop():
        raise TranscodeCancelled()
    switch_generation(job, heartbeat.worker, result)


def _set_video_status(video: LectureVideo, status: str) -> None:
    video.status = status
    LectureVideo.objects.filter(pk=video.pk).update(status=status, updated_at=timezone.now())


def switch_generation(job: TranscodeJob, worker: str, result: TranscodeResult) -> None:
    """Make the new generation current in one transaction; delete the previous one after commit."""
    storage = get_storage()
    with transaction.atomic():
        locked = TranscodeJob.objects.select_for_update().get(pk=job.pk)
        if locked.state != JobState.RUNNING or locked.worker_id != worker:
            raise LostOwnership(f"job {job.pk} changed hands before the switch")
        video = LectureVideo.objects.select_for_update().get(pk=job.video_id)
        previous = video.output_prefix
        video.renditions.all().delete()
        VideoRendition.objects.bulk_create(
            VideoRendition(
                video=video,
                kind=r.kind,
                name=r.name,
                path=locked.output_prefix + r.path,
                width=r.width,
                height=r.height,
                bitrate=r.bitrate,
                average_bitrate=r.average_bitrate,
                codecs=r.codecs,
                duration=r.duration,
                start_time=r.start_time,
            )
            for r in result.renditions
        )
        now = timezone.now()
        video.output_prefix = locked.output_prefix
        video.status = VideoStatus.READY
        video.ready_at = now
        video.save(update_fields=["output_prefix", "status", "ready_at", "updated_at"])
        locked.state = JobState.SUCCEEDED
        locked.progress = 100
        locked.finished_at = now
        locked.heartbeat_at = now
        locked.error_code = locked.error = ""
        locked.save()
        if previous and previous != locked.output_prefix:
            transaction.on_commit(partial(delete_generation, storage, previous))
        # Captions added before or while this run worked become the new master's subtitle rendition.
        transaction.on_commit(partial(sync_subtitles_quietly, video.pk))
    signals.transcode_progress.send(sender=TranscodeJob, job_id=job.pk, progress=100)
    logger.info("Video %s now serves generation %s", video.uuid, video.output_prefix)
