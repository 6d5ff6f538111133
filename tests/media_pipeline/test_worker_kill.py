"""A worker killed mid-transcode (kill -9): its ffmpeg dies too, the job is recovered and completes.

The worker runs in a real child process (``db_worker``) on the test database;
with SQLite's in-memory test database the state is handed over through a file
copy (the sqlite3 backup API) since another process cannot open it.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from media_pipeline import services
from media_pipeline.jobs import recover_stale_jobs, work_dir_prefix
from media_pipeline.models import JobState, VideoStatus
from media_pipeline.storage import save_local_file
from tests.media_pipeline.conftest import all_objects
from tests.media_pipeline.helpers import uploaded

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def shared_database(tmp_path: Path):
    """A DATABASE_URL another process can use for the test database (and the state it left, after)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        s = settings_dict
        yield f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        return
    if not connection.creation.is_in_memory_db(settings_dict["NAME"]):
        yield f"sqlite:///{settings_dict['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    try:
        yield f"sqlite:///{path}"
    finally:
        back = sqlite3.connect(path)
        back.backup(connection.connection)
        back.close()


def processes_mentioning(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if text.encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
    return found


def start_worker(database_url: str, storage, settings) -> subprocess.Popen:
    location = str(storage.location)
    config = {
        "storage": {"kind": storage.kind, "location": location},
        "settings": {
            # A slow preset in the doomed worker, so the kill surely lands mid-encode.
            "MEDIA_X264_PRESET": "veryslow",
            "MEDIA_WORK_DIR": settings.MEDIA_WORK_DIR,
            "MEDIA_HEARTBEAT_SECONDS": 0,
        },
    }
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV": "test", "MEDIA_CHILD_CONFIG": json.dumps(config)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.media_pipeline.worker_child"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_progress(proc: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline().decode()
            if line.startswith("PROGRESS"):
                return int(line.split()[1])
            if not line:
                break
    proc.kill()
    pytest.fail(f"the worker never reported progress:\n{proc.stderr.read().decode()[-3000:]}")


@pytest.mark.django_db(transaction=True)
def test_killed_worker_is_recovered_and_the_rerun_completes(
    make_clip, media_storage, settings, tmp_path, django_user_model
):
    teacher = django_user_model.objects.create_user(username="gv-kill", password="x" * 12)
    video = services.create_video_from_upload(
        owner=teacher, title="Bài bị ngắt", uploaded_file=uploaded(make_clip("portrait_phone"))
    )
    job = video.jobs.get()

    with shared_database(tmp_path) as database_url:
        worker = start_worker(database_url, media_storage, settings)
        progress = wait_for_progress(worker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    assert 0 < progress < 90, "killed while encoding"

    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1 and job.heartbeat_at is not None
    killed_prefix = job.output_prefix
    # The worker's ffmpeg died with it (parent-death signal), not left encoding unseen.
    deadline = time.monotonic() + 5
    while processes_mentioning(work_dir_prefix(job.pk)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(work_dir_prefix(job.pk)) == []
    assert list(Path(settings.MEDIA_WORK_DIR).glob(work_dir_prefix(job.pk) + "*")), "the dead attempt's temp dir"
    # As if it had died half-way through uploading: a stray object of its generation.
    save_local_file(media_storage, killed_prefix + "360p/seg_00000.ts", make_clip("tiny"))

    assert recover_stale_jobs() == [], "its heartbeat is still fresh"
    settings.MEDIA_STALE_JOB_SECONDS = 0
    assert recover_stale_jobs() == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.error_code) == (JobState.RETRYING, "worker_lost")

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    video.refresh_from_db()
    assert (job.state, job.attempts, job.progress) == (JobState.SUCCEEDED, 2, 100)
    assert video.status == VideoStatus.READY and video.output_prefix not in ("", killed_prefix)
    objects = all_objects(media_storage)
    assert not [name for name in objects if name.startswith(killed_prefix)], "the dead attempt left no objects"
    assert set(objects) == {video.original.name} | {name for name in objects if name.startswith(video.output_prefix)}
    assert not list(Path(settings.MEDIA_WORK_DIR).glob(work_dir_prefix(job.pk) + "*"))
