"""The background task: one transcode attempt per run, identified by the job id.

The task loads fresh rows, claims the job (so running it twice is harmless) and
never lets a bad input or a failed attempt escape as an exception: the outcome
is recorded on the job (see ``jobs.py``). It is enqueued only after the
transaction that created the job commits (``jobs.schedule``), on the ``media``
queue when the backend has one.
"""

from __future__ import annotations

from django_tasks import task

from media_pipeline.worker import process_job


@task()
def run_transcode(job_id: int) -> str:
    return process_job(job_id)
