"""The transcode job state machine: enqueue, claim, settle (retry/fail/cancel), recover, cancel.

The attempt itself (heartbeat, transcode, upload, switch) is in ``worker.py``.

::

    queued ──claim──▶ running ──▶ succeeded
      ▲                 │ ├────▶ failed      (bad input, or attempts used up)
      │                 │ └────▶ cancelled   (cancel_requested seen by the progress loop)
      └── retrying ◀────┘        (transient error: back-off, or a stale heartbeat)

Every transition is a conditional UPDATE (or a locked row in a transaction)
that checks the state and the worker id, so running a task twice, a late
duplicate of a retry, or a worker that was presumed dead but wakes up cannot
make two attempts write the same job. Side effects (enqueueing, deleting a
generation's objects) run after commit.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from media_pipeline.conf import media_settings
from media_pipeline.errors import MESSAGES, ProbeRejected
from media_pipeline.models import ACTIVE_JOB_STATES, JobState, LectureVideo, TranscodeJob, VideoStatus
from media_pipeline.probe import ProbeResult
from media_pipeline.storage import delete_prefix, get_storage, new_generation_prefix

logger = logging.getLogger(__name__)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


# --- Enqueueing ------------------------------------------------------------------


def schedule(job_id: int, run_after=None) -> None:
    """Enqueue the task for ``job_id`` once the current transaction commits."""
    transaction.on_commit(partial(send_task, job_id, run_after))


def send_task(job_id: int, run_after=None) -> None:
    from django_tasks import DEFAULT_TASK_QUEUE_NAME

    from media_pipeline.tasks import run_transcode

    backend = run_transcode.get_backend()
    queue = media_settings().task_queue
    if backend.queues and queue not in backend.queues:
        queue = DEFAULT_TASK_QUEUE_NAME
    task = run_transcode.using(queue_name=queue)
    if run_after is not None and backend.supports_defer:
        task = task.using(run_after=run_after)
    result = task.enqueue(job_id)
    TranscodeJob.objects.filter(pk=job_id).update(task_result_id=str(result.id)[:64])


def backoff_seconds(attempts: int) -> int:
    """60 s, 120 s, 240 s... (with the default base), capped."""
    conf = media_settings()
    return min(conf.retry_max_seconds, conf.retry_base_seconds * 2 ** max(0, attempts - 1))


def claim(job_id: int, worker: str) -> TranscodeJob | None:
    """queued/retrying → running with a fresh generation prefix, or None if it is not ours to run."""
    job = TranscodeJob.objects.select_related("video").filter(pk=job_id).first()
    if job is None or job.state not in (JobState.QUEUED, JobState.RETRYING):
        return None
    now = timezone.now()
    if job.cancel_requested:
        cancel_unclaimed(job)
        return None
    if job.next_attempt_at and job.next_attempt_at > now + timedelta(seconds=5):
        logger.info("Transcode job %s is not due before %s; skipping an early run", job.pk, job.next_attempt_at)
        return None
    previous = job.output_prefix
    claimed = TranscodeJob.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts).update(
        state=JobState.RUNNING,
        attempts=F("attempts") + 1,
        worker_id=worker,
        started_at=now,
        heartbeat_at=now,
        next_attempt_at=None,
        progress=0,
        output_prefix=new_generation_prefix(job.video.uuid),
    )
    if not claimed:
        return None
    if previous and previous != job.video.output_prefix:
        delete_generation(get_storage(), previous)  # leftovers of an attempt that died mid-upload
    _remove_dead_work_dirs(job.pk)
    job.refresh_from_db()
    return job


def work_dir_prefix(job_id: int) -> str:
    return f"lms-transcode-{job_id}-"


def _remove_dead_work_dirs(job_id: int) -> None:
    """Temporary directories of earlier attempts of this job on this machine (a killed worker leaves them)."""
    root = Path(media_settings().work_dir or tempfile.gettempdir())
    for path in root.glob(work_dir_prefix(job_id) + "*"):
        shutil.rmtree(path, ignore_errors=True)


def apply_probe(video: LectureVideo, probe: ProbeResult) -> None:
    video.probed_at = timezone.now()
    video.container = probe.container[:100]
    video.duration = probe.duration
    video.width, video.height = probe.width, probe.height
    video.frame_rate = probe.frame_rate
    video.has_video, video.has_audio = probe.has_video, probe.has_audio
    video.codecs = probe.codecs[:100]
    video.original_size = probe.size


def apply_rejection(video: LectureVideo, exc: ProbeRejected) -> None:
    video.status = VideoStatus.REJECTED
    video.rejection_code = exc.code
    video.rejection_params = exc.params
    video.rejection_message = exc.render()


# --- Ending an attempt that did not succeed -------------------------------------------------


def settle(
    job_id: int,
    worker: str,
    state: str,
    *,
    code: str = "",
    message: str = "",
    detail: str = "",
    retry: bool = False,
    rejection: ProbeRejected | None = None,
    heartbeat_at=None,
    back_off: bool = True,
) -> str | None:
    """End a running attempt held by ``worker``: retry with back-off, fail, or cancel.

    Deletes the attempt's partial generation and, for a retry, enqueues the
    next attempt, both after commit. Returns the new state, or None when the job
    was not (or no longer) this worker's.
    """
    storage = get_storage()
    with transaction.atomic():
        job = TranscodeJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.RUNNING or job.worker_id != worker:
            return None
        if heartbeat_at is not None and job.heartbeat_at != heartbeat_at:
            return None
        video = LectureVideo.objects.select_for_update().get(pk=job.video_id)
        now = timezone.now()
        if job.cancel_requested:
            state, retry = JobState.CANCELLED, False
        if state == JobState.FAILED and retry and job.attempts < job.max_attempts:
            state = JobState.RETRYING
            delay = backoff_seconds(job.attempts) if back_off and _backend_supports_defer() else 0
            job.next_attempt_at = now + timedelta(seconds=delay)
        elif state == JobState.FAILED and retry:
            message = f"{message}\n{MESSAGES['attempts_exhausted']}"
        job.state = state
        job.worker_id = ""
        if state != JobState.RETRYING:
            job.finished_at = now
        if code:
            job.error_code = code[:40]
            job.error = "\n\n".join(part for part in (message, detail[-4000:]) if part)
        job.save()

        if rejection is not None:
            apply_rejection(video, rejection)
        elif state == JobState.RETRYING:
            video.status = VideoStatus.QUEUED
        elif video.output_prefix:
            video.status = VideoStatus.READY  # the previous generation still plays
        else:
            video.status = VideoStatus.CANCELLED if state == JobState.CANCELLED else VideoStatus.FAILED
        video.save()

        partial_prefix = job.output_prefix
        if partial_prefix and partial_prefix != video.output_prefix:
            transaction.on_commit(partial(delete_generation, storage, partial_prefix))
        if state == JobState.RETRYING:
            schedule(job.pk, job.next_attempt_at)
    logger.info("Transcode job %s → %s (%s)", job_id, state, code or "-")
    return state


def _backend_supports_defer() -> bool:
    from media_pipeline.tasks import run_transcode

    return bool(run_transcode.get_backend().supports_defer)


def discard_own_generation(storage, prefix: str) -> None:
    if prefix and not LectureVideo.objects.filter(output_prefix=prefix).exists():
        delete_generation(storage, prefix)


def delete_generation(storage, prefix: str) -> None:
    """Best effort: a failure here leaves files a later recovery or delete removes, never a broken video."""
    if not prefix:
        return
    try:
        delete_prefix(storage, prefix)
    except Exception:
        logger.exception("Could not delete generation %s", prefix)


# --- Recovery and cancellation ----------------------------------------------------------------


def recover_stale_jobs() -> list[int]:
    """Hand back running jobs whose worker stopped beating (killed, OOM, machine lost).

    Run at worker start and periodically (``manage.py recover_transcodes``). A
    job still under ``max_attempts`` is retried at once (the input was not at
    fault); otherwise it fails. Returns the ids of the jobs handed back.
    """
    conf = media_settings()
    threshold = timezone.now() - timedelta(seconds=conf.stale_job_seconds)
    stale = TranscodeJob.objects.filter(state=JobState.RUNNING).filter(
        Q(heartbeat_at__lt=threshold) | Q(heartbeat_at__isnull=True)
    )
    recovered = []
    for job in stale:
        logger.warning("Transcode job %s: worker %s stopped beating at %s", job.pk, job.worker_id, job.heartbeat_at)
        new_state = settle(
            job.pk,
            job.worker_id,
            JobState.FAILED,
            code="worker_lost",
            message=str(MESSAGES["worker_lost"]),
            retry=True,
            heartbeat_at=job.heartbeat_at,
            back_off=False,  # the worker died, not the input: try again at once
        )
        if new_state is not None:
            recovered.append(job.pk)
    return recovered


def request_cancel(job: TranscodeJob) -> TranscodeJob:
    """Stop a job: at once if it is waiting, at the next progress report if it is running."""
    with transaction.atomic():
        job = TranscodeJob.objects.select_for_update().get(pk=job.pk)
        if job.state not in ACTIVE_JOB_STATES:
            return job
        job.cancel_requested = True
        job.save(update_fields=["cancel_requested"])
        if job.state != JobState.RUNNING:
            cancel_unclaimed(job)
    job.refresh_from_db()
    return job


def cancel_unclaimed(job: TranscodeJob) -> None:
    with transaction.atomic():
        updated = TranscodeJob.objects.filter(pk=job.pk, state__in=(JobState.QUEUED, JobState.RETRYING)).update(
            state=JobState.CANCELLED, cancel_requested=True, finished_at=timezone.now()
        )
        if updated:
            video = LectureVideo.objects.select_for_update().get(pk=job.video_id)
            video.status = VideoStatus.READY if video.output_prefix else VideoStatus.CANCELLED
            video.save(update_fields=["status", "updated_at"])
