"""Fixtures of the media pipeline tests: real ffmpeg on generated clips, real local disk and S3 storage."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.media_pipeline import clips
from tests.media_pipeline.storages import apply_storage


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def make_clip(clip_dir):
    """Make (once per session) and return a named clip; shapes are described in SHAPES."""
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            maker, kwargs, suffix = SHAPES[name]
            made[name] = maker(clip_dir / f"{name}{suffix}", **kwargs)
        return made[name]

    return make


SHAPES = {
    # The shapes lecture uploads come in, kept short and small so the module runs fast, yet longer
    # than one 4 s segment so segmentation and GOP alignment are exercised.
    "landscape_720p": (clips.video_clip, {"width": 1280, "height": 720, "seconds": 4.5}, ".mp4"),
    # A phone held upright: stored 640×360 with a 90° display rotation, shown 360×640.
    "portrait_phone": (clips.video_clip, {"width": 640, "height": 360, "seconds": 5, "rotate": 90}, ".mp4"),
    "portrait_plain": (clips.video_clip, {"width": 360, "height": 640, "seconds": 2}, ".mp4"),
    "low_4_3": (clips.video_clip, {"width": 320, "height": 240, "seconds": 5}, ".mp4"),
    "audio_only": (clips.audio_clip, {"seconds": 5}, ".m4a"),
    "no_audio": (clips.video_clip, {"width": 426, "height": 240, "seconds": 5, "audio": False}, ".mp4"),
    "tiny": (clips.video_clip, {"width": 320, "height": 180, "seconds": 2}, ".mp4"),
    "tiny_faststart": (clips.video_clip, {"width": 320, "height": 180, "seconds": 5, "faststart": True}, ".mp4"),
}


@pytest.fixture(autouse=True)
def fast_media_settings(settings, tmp_path):
    """Production ladder, but the fastest x264 preset, and state in the test's own directory."""
    settings.MEDIA_X264_PRESET = "ultrafast"
    settings.MEDIA_HEARTBEAT_SECONDS = 0
    settings.MEDIA_WORK_DIR = str(tmp_path)
    settings.MEDIA_UPLOAD_CONCURRENCY = 2


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.integration)])
def media_storage(request, settings, tmp_path):
    """The default storage on local disk, then on the real S3 server (each test runs on both).

    The S3 case is an integration test: it runs in the at-scale suite, where the server is up."""
    from media_pipeline.storage import get_storage

    location = str(tmp_path / "media") if request.param == "local" else f"test-{uuid.uuid4().hex[:12]}"
    apply_storage(settings, request.param, location)
    storage = get_storage()
    storage.kind = request.param
    yield storage
    if request.param == "s3":
        storage.bucket.objects.filter(Prefix=location + "/").delete()


@pytest.fixture
def local_storage(settings, tmp_path):
    from media_pipeline.storage import get_storage

    apply_storage(settings, "local", str(tmp_path / "media"))
    storage = get_storage()
    storage.kind = "local"
    return storage


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks inline (the job machinery is the same; only the queue is skipped)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "media"]}
    }


def all_objects(storage) -> list[str]:
    """Everything in the storage (under its location), by listing it."""
    if getattr(storage, "kind", "") == "s3":
        prefix = storage.location.rstrip("/") + "/"
        return sorted(o.key[len(prefix) :] for o in storage.bucket.objects.filter(Prefix=prefix))
    root = Path(storage.location)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []
