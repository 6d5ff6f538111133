"""The media pipeline's settings, read when used (never at import time) with embedded defaults.

Every knob is an optional Django setting named ``MEDIA_*``; the defaults suit a
single school's server. Reading them through one function keeps the names and
defaults in one place and lets tests change them with pytest-django's
``settings`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

GIB = 1024**3


@dataclass(frozen=True)
class MediaSettings:
    max_upload_bytes: int
    max_duration_seconds: float
    max_frame_pixels: int
    segment_seconds: int
    x264_preset: str
    ffmpeg_threads: int
    max_attempts: int
    retry_base_seconds: int
    retry_max_seconds: int
    stale_job_seconds: int
    heartbeat_seconds: float
    ffmpeg_stall_seconds: int
    work_dir: str | None
    upload_concurrency: int
    signed_url_seconds: int
    accel_redirect_prefix: str | None
    task_queue: str
    max_caption_bytes: int
    ffmpeg_binary: str
    ffprobe_binary: str
    upload_dir: str | None
    max_chunk_bytes: int
    upload_expiry_hours: float


def media_settings() -> MediaSettings:
    """The current settings; cheap enough to call per job or per request."""

    def get(name: str, default):
        return getattr(settings, name, default)

    return MediaSettings(
        max_upload_bytes=int(get("MEDIA_MAX_UPLOAD_BYTES", 2 * GIB)),
        max_duration_seconds=float(get("MEDIA_MAX_DURATION_SECONDS", 3 * 3600)),
        # 4096×2304 covers 4K UHD (3840×2160); larger frames are refused before decoding.
        max_frame_pixels=int(get("MEDIA_MAX_FRAME_PIXELS", 4096 * 2304)),
        segment_seconds=int(get("MEDIA_HLS_SEGMENT_SECONDS", 4)),
        x264_preset=str(get("MEDIA_X264_PRESET", "veryfast")),
        ffmpeg_threads=int(get("MEDIA_FFMPEG_THREADS", 0)),
        max_attempts=int(get("MEDIA_TRANSCODE_MAX_ATTEMPTS", 3)),
        retry_base_seconds=int(get("MEDIA_RETRY_BASE_SECONDS", 60)),
        retry_max_seconds=int(get("MEDIA_RETRY_MAX_SECONDS", 3600)),
        stale_job_seconds=int(get("MEDIA_STALE_JOB_SECONDS", 300)),
        heartbeat_seconds=float(get("MEDIA_HEARTBEAT_SECONDS", 5)),
        ffmpeg_stall_seconds=int(get("MEDIA_FFMPEG_STALL_SECONDS", 300)),
        work_dir=get("MEDIA_WORK_DIR", None),
        upload_concurrency=int(get("MEDIA_UPLOAD_CONCURRENCY", 4)),
        signed_url_seconds=int(get("MEDIA_SIGNED_URL_SECONDS", 600)),
        accel_redirect_prefix=get("MEDIA_ACCEL_REDIRECT_PREFIX", None),
        task_queue=str(get("MEDIA_TASK_QUEUE", "media")),
        max_caption_bytes=int(get("MEDIA_MAX_CAPTION_BYTES", 2 * 1024 * 1024)),
        ffmpeg_binary=str(get("FFMPEG_BINARY", "ffmpeg")),
        ffprobe_binary=str(get("FFPROBE_BINARY", "ffprobe")),
        # Resumable uploads: where partial files wait (local disk of the web server), chunk cap, expiry.
        upload_dir=get("MEDIA_UPLOAD_DIR", None),
        max_chunk_bytes=int(get("MEDIA_MAX_CHUNK_BYTES", 16 * 1024 * 1024)),
        upload_expiry_hours=float(get("MEDIA_UPLOAD_EXPIRY_HOURS", 48)),
    )
