"""Lecture videos, their transcode jobs, renditions and captions.

A video's files all live under ``videos/<uuid>/`` in the default storage (see
``storage.py``); the uuid, not the integer id, appears in URLs and keys, so
draft files cannot be found by counting.
"""

from __future__ import annotations

import posixpath
import re
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from media_pipeline import storage as media_storage
from media_pipeline.errors import MESSAGES


def original_upload_to(instance: LectureVideo, filename: str) -> str:
    """``videos/<uuid>/original/source.<ext>``: the uploader's file name (often Vietnamese) stays in the row."""
    ext = posixpath.splitext(filename)[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", ext):
        ext = ".bin"
    return f"{media_storage.video_prefix(instance.uuid)}original/source{ext}"


def caption_upload_to(instance: Caption, filename: str) -> str:
    return f"{media_storage.video_prefix(instance.video.uuid)}captions/{instance.language}-{uuid.uuid4().hex[:8]}.vtt"


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PROBING = "probing", _("Checking the file")
    REJECTED = "rejected", _("Rejected")
    QUEUED = "queued", _("Waiting for conversion")
    TRANSCODING = "transcoding", _("Converting")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Conversion failed")
    CANCELLED = "cancelled", _("Conversion cancelled")


class LectureVideo(models.Model):
    """An uploaded lecture (video, or sound only) and what the pipeline learnt about it.

    ``status`` follows the latest pipeline run; whether it can be played is
    ``output_prefix`` (the current generation), which a failed or cancelled
    re-run leaves untouched.
    """

    uuid = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lecture_videos", verbose_name=_("owner")
    )
    school = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lecture_videos",
        verbose_name=_("school"),
    )
    original = models.FileField(_("original file"), upload_to=original_upload_to, max_length=500, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    original_size = models.BigIntegerField(_("original size (bytes)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADED)

    # Probe results.
    probed_at = models.DateTimeField(_("probed at"), null=True, blank=True)
    container = models.CharField(_("container"), max_length=100, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    frame_rate = models.FloatField(_("frame rate"), null=True, blank=True)
    has_video = models.BooleanField(_("has video"), null=True, blank=True)
    has_audio = models.BooleanField(_("has sound"), null=True, blank=True)
    codecs = models.CharField(_("codecs"), max_length=100, blank=True)

    rejection_code = models.CharField(_("rejection code"), max_length=40, blank=True)
    rejection_params = models.JSONField(_("rejection parameters"), default=dict, blank=True)
    rejection_message = models.TextField(_("rejection message"), blank=True)

    output_prefix = models.CharField(_("current generation"), max_length=255, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Set by the library when the material using it is published.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["school", "status"])]
        verbose_name = _("lecture video")
        verbose_name_plural = _("lecture videos")

    def __str__(self) -> str:
        return self.title

    @property
    def prefix(self) -> str:
        return media_storage.video_prefix(self.uuid)

    @property
    def is_playable(self) -> bool:
        return bool(self.output_prefix)

    @property
    def is_audio_only(self) -> bool:
        return self.has_audio is True and self.has_video is False

    def rejection_reason(self) -> str:
        """The rejection message in the active language (re-rendered from code and parameters)."""
        if self.rejection_code in MESSAGES:
            text = str(MESSAGES[self.rejection_code])
            try:
                return text % self.rejection_params if self.rejection_params else text
            except (KeyError, TypeError, ValueError):
                return self.rejection_message
        return self.rejection_message


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Waiting to retry")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_JOB_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.RETRYING)


class TranscodeJob(models.Model):
    """One request to (re)build a video's outputs, with its attempts.

    Each attempt claims the job (``queued``/``retrying`` → ``running``), gets a
    fresh ``output_prefix`` and keeps ``heartbeat_at`` fresh while it works; a
    running job whose heartbeat is stale belonged to a worker that died.
    """

    video = models.ForeignKey(LectureVideo, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("video"))
    state = models.CharField(_("state"), max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error = models.TextField(_("error"), blank=True)
    cancel_requested = models.BooleanField(_("cancellation requested"), default=False)
    worker_id = models.CharField(_("worker"), max_length=100, blank=True)
    output_prefix = models.CharField(_("output prefix"), max_length=255, blank=True)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one active job per video: a second request joins the first.
            models.UniqueConstraint(
                fields=["video"], condition=Q(state__in=ACTIVE_JOB_STATES), name="one_active_transcode_per_video"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="transcode_progress_at_most_100"),
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]
        verbose_name = _("transcode job")
        verbose_name_plural = _("transcode jobs")

    def __str__(self) -> str:
        return f"{self.video} – {self.get_state_display()} ({self.progress}%)"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_JOB_STATES


class RenditionKind(models.TextChoices):
    MASTER_PLAYLIST = "master_playlist", _("Master playlist")
    HLS_VARIANT = "hls_variant", _("HLS variant")
    AUDIO_ONLY = "audio_only", _("Audio only")
    MP4_DOWNLOAD = "mp4_download", _("MP4 download")
    POSTER = "poster", _("Poster")
    THUMBNAIL = "thumbnail", _("Thumbnail")
    CAPTION = "caption", _("Caption")


class VideoRendition(models.Model):
    """An output of the current generation worth naming (segments are reached through their playlists)."""

    video = models.ForeignKey(
        LectureVideo, on_delete=models.CASCADE, related_name="renditions", verbose_name=_("video")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RenditionKind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True, help_text=_("Rung name, e.g. 360p."))
    path = models.CharField(_("path in storage"), max_length=500)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    bitrate = models.PositiveIntegerField(_("peak bitrate (bit/s)"), null=True, blank=True)
    average_bitrate = models.PositiveIntegerField(_("average bitrate (bit/s)"), null=True, blank=True)
    codecs = models.CharField(_("codecs"), max_length=100, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    start_time = models.FloatField(
        _("start time (seconds)"),
        null=True,
        blank=True,
        help_text=_("MPEG-TS time of the first frame (master playlist)."),
    )

    class Meta:
        ordering = ["kind", "height", "path"]
        constraints = [models.UniqueConstraint(fields=["video", "path"], name="unique_rendition_path")]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()

    @property
    def relative_path(self) -> str:
        """The path below the video's prefix, as used in its URLs."""
        return self.path.removeprefix(self.video.prefix)


class Caption(models.Model):
    """A WebVTT caption track (SRT uploads are converted on the way in); one per language."""

    video = models.ForeignKey(LectureVideo, on_delete=models.CASCADE, related_name="captions", verbose_name=_("video"))
    language = models.CharField(_("language"), max_length=20, help_text=_("BCP 47 code, e.g. vi or en."))
    label = models.CharField(_("label"), max_length=100)
    file = models.FileField(_("WebVTT file"), upload_to=caption_upload_to, max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["video", "language"], name="unique_caption_language")]
        verbose_name = _("caption")
        verbose_name_plural = _("captions")

    def __str__(self) -> str:
        return f"{self.label} ({self.language})"

    @property
    def relative_path(self) -> str:
        return self.file.name.removeprefix(self.video.prefix)


class VideoUpload(models.Model):
    """A resumable upload in progress: the bytes received so far sit in a local ``.part`` file.

    The client creates it with the file's name and size, sends chunks at the
    offset the server reports (``received``), and may ask for that offset again
    after a dropped connection or a reload. The last chunk probes the file and
    turns it into a ``LectureVideo``; abandoned uploads are removed by
    ``manage.py recover_transcodes`` after ``MEDIA_UPLOAD_EXPIRY_HOURS``.
    """

    token = models.UUIDField(_("upload identifier"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    school = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size (bytes)"))
    received = models.BigIntegerField(_("bytes received"), default=0)
    video = models.ForeignKey(
        LectureVideo, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("video")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("video upload")
        verbose_name_plural = _("video uploads")

    def __str__(self) -> str:
        return f"{self.filename} ({self.received}/{self.size})"

    @property
    def is_complete(self) -> bool:
        return self.received >= self.size
