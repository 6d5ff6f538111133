"""What other apps may call: create, transcode, cancel, publish, delete, caption and play lecture videos.

Each action checks permission when given an ``actor`` (``None`` means the
system: loaders, migrations, the library's own workflow), writes in one
transaction, records an audit log entry and schedules side effects after
commit. Views and commands call these; none repeats them.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from lms.access import administered_roots, can, is_under, schools_of
from lms.text import nfc
from media_pipeline import jobs
from media_pipeline.access import STAFF_ROLES, can_view_video, videos_visible_to
from media_pipeline.captions import CaptionError, to_webvtt
from media_pipeline.conf import media_settings
from media_pipeline.errors import ProbeRejected
from media_pipeline.models import (
    ACTIVE_JOB_STATES,
    Caption,
    JobState,
    LectureVideo,
    RenditionKind,
    TranscodeJob,
    VideoStatus,
)
from media_pipeline.probe import check_size, probe_file
from media_pipeline.subtitles import sync_subtitles_quietly

__all__ = [
    "Playback",
    "add_caption",
    "cancel_transcode",
    "create_video_from_upload",
    "delete_video",
    "enqueue_transcode",
    "latest_job",
    "playback_urls",
    "remove_caption",
    "set_published",
    "videos_visible_to",
]


def _require(actor, action: str, video: LectureVideo) -> None:
    if actor is not None and not can(actor, action, video):
        raise PermissionDenied("You may not change this video.")


@contextlib.contextmanager
def _local_path(uploaded) -> Iterator[str]:
    """A path on local disk for an upload: Django's temporary file when it has one, else a copy."""
    if hasattr(uploaded, "temporary_file_path"):
        yield uploaded.temporary_file_path()
        return
    suffix = posixpath.splitext(getattr(uploaded, "name", "") or "")[1][:10]
    handle, path = tempfile.mkstemp(prefix="lms-upload-", suffix=suffix, dir=media_settings().work_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        yield path
    finally:
        os.unlink(path)


def create_video_from_upload(*, owner, title: str, uploaded_file, school=None, actor=None) -> LectureVideo:
    """Probe an upload, store it and queue its transcode; or record why it was refused.

    The probe runs on the upload's local file inside the request (ffprobe reads
    headers only), so the teacher learns at once that a file is too long or
    not a video. A refused upload is kept as a ``rejected`` row (with its code
    and message) but its file is not stored.
    """
    if actor is not None and school is not None:
        own_school = any(s.pk == school.pk for s in schools_of(actor, roles_in=STAFF_ROLES))
        if not (own_school or actor.is_superuser or is_under(school, administered_roots(actor))):
            raise PermissionDenied("You may not add videos for this school.")
    name = os.path.basename(getattr(uploaded_file, "name", "") or "upload")
    video = LectureVideo(
        uuid=uuid.uuid4(),
        title=nfc(title.strip())[:255],
        owner=owner,
        school=school,
        original_name=nfc(name)[:255],
        original_size=uploaded_file.size,
    )
    try:
        check_size(uploaded_file.size)
        with _local_path(uploaded_file) as path:
            probe = probe_file(path, size=uploaded_file.size)
    except ProbeRejected as exc:
        jobs.apply_rejection(video, exc)
        with transaction.atomic():
            video.save()
            log(instance=video, action="media.video.reject", user=actor, data={"code": exc.code})
        return video
    jobs.apply_probe(video, probe)
    # Store the file before the transaction: a long upload to S3 must not hold database locks.
    video.original.save(name, uploaded_file, save=False)
    try:
        with transaction.atomic():
            video.status = VideoStatus.QUEUED
            video.save()
            _new_job(video, actor)
            log(instance=video, action="media.video.upload", user=actor)
    except Exception:
        video.original.delete(save=False)
        raise
    return video


def _new_job(video: LectureVideo, actor) -> TranscodeJob:
    job = TranscodeJob.objects.create(
        video=video,
        max_attempts=media_settings().max_attempts,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    jobs.schedule(job.pk)
    return job


def enqueue_transcode(video: LectureVideo, *, actor=None) -> TranscodeJob:
    """(Re)build a video's outputs; joins the active job if there is one.

    The new outputs go to a new generation; the current one keeps playing
    until the new one is complete.
    """
    _require(actor, "video.edit", video)
    with transaction.atomic():
        video = LectureVideo.objects.select_for_update().get(pk=video.pk)
        active = video.jobs.filter(state__in=ACTIVE_JOB_STATES).first()
        if active is not None:
            return active
        if video.status == VideoStatus.REJECTED or not video.original:
            raise ValueError("A rejected upload cannot be transcoded; upload the file again.")
        job = _new_job(video, actor)
        if not video.output_prefix:
            video.status = VideoStatus.QUEUED
            video.save(update_fields=["status", "updated_at"])
        log(instance=video, action="media.video.transcode", user=actor)
    return job


def cancel_transcode(video: LectureVideo, *, actor=None) -> TranscodeJob | None:
    """Cancel the active job, if any: at once when waiting, within seconds when running."""
    _require(actor, "video.edit", video)
    job = video.jobs.filter(state__in=ACTIVE_JOB_STATES).first()
    if job is None:
        return None
    job = jobs.request_cancel(job)
    log(instance=video, action="media.video.cancel", user=actor)
    return job


def set_published(video: LectureVideo, published: bool, *, actor=None) -> None:
    """Called by the library when the material using this video is published or withdrawn."""
    _require(actor, "video.edit", video)
    LectureVideo.objects.filter(pk=video.pk).update(is_published=published)
    video.is_published = published


def delete_video(video: LectureVideo, *, actor=None) -> None:
    """Delete the video, its rows and (after commit) every object under its prefix."""
    _require(actor, "video.edit", video)
    with transaction.atomic():
        active = video.jobs.filter(state=JobState.RUNNING).first()
        if active is not None:
            jobs.request_cancel(active)
        log(instance=video, action="media.video.delete", user=actor)
        video.delete()


def add_caption(video: LectureVideo, *, language: str, label: str, uploaded_file, actor=None) -> Caption:
    """Store a caption track (SRT is converted to WebVTT); replaces the track of the same language."""
    _require(actor, "video.edit", video)
    limit = media_settings().max_caption_bytes
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise CaptionError(
            "caption_too_large", _("The caption file is larger than %(limit_kb)s KB."), {"limit_kb": limit // 1024}
        )
    vtt = to_webvtt(data)
    language = language.strip()[:20]
    with transaction.atomic():
        old = Caption.objects.filter(video=video, language=language).first()
        if old is not None:
            old.delete()  # its file goes after commit
        caption = Caption(video=video, language=language, label=nfc(label.strip())[:100])
        caption.file.save(f"{language}.vtt", ContentFile(vtt.encode("utf-8")), save=False)
        try:
            caption.save()
        except Exception:
            caption.file.delete(save=False)
            raise
        log(instance=video, action="media.caption.add", user=actor, data={"language": language})
        # The master playlist's subtitle renditions follow (see subtitles.py).
        transaction.on_commit(partial(sync_subtitles_quietly, video.pk))
    return caption


def remove_caption(video: LectureVideo, *, language: str, actor=None) -> bool:
    """Remove the caption track of ``language`` (its file goes after commit); False if there was none."""
    _require(actor, "video.edit", video)
    with transaction.atomic():
        deleted, _rows = Caption.objects.filter(video=video, language=language).delete()
        if not deleted:
            return False
        log(instance=video, action="media.caption.remove", user=actor, data={"language": language})
        transaction.on_commit(partial(sync_subtitles_quietly, video.pk))
    return True


def latest_job(video: LectureVideo) -> TranscodeJob | None:
    return video.jobs.order_by("-created_at", "-pk").first()


# --- Playback ---------------------------------------------------------------------


@dataclass
class CaptionTrack:
    language: str
    label: str
    url: str


@dataclass
class Playback:
    """URLs a player needs; all go through the access-checked view (``media_pipeline.urls``)."""

    master_url: str
    audio_url: str | None
    poster_url: str | None
    download_url: str | None
    duration: float | None
    is_audio_only: bool
    thumbnail_urls: list[str] = field(default_factory=list)
    captions: list[CaptionTrack] = field(default_factory=list)


def file_url(video: LectureVideo, relative_path: str) -> str:
    return reverse("media_pipeline:file", kwargs={"video_uuid": video.uuid, "path": relative_path})


def playback_urls(video: LectureVideo, user) -> Playback | None:
    """What ``user`` may play of ``video``, or None (not allowed, or nothing ready yet)."""
    if not video.is_playable or not can_view_video(user, video):
        return None
    by_kind: dict[str, list] = {}
    for rendition in video.renditions.all():
        by_kind.setdefault(rendition.kind, []).append(rendition)

    def first_url(kind: str) -> str | None:
        items = by_kind.get(kind)
        return file_url(video, items[0].relative_path) if items else None

    master = first_url(RenditionKind.MASTER_PLAYLIST)
    if master is None:
        return None
    return Playback(
        master_url=master,
        audio_url=first_url(RenditionKind.AUDIO_ONLY),
        poster_url=first_url(RenditionKind.POSTER),
        download_url=first_url(RenditionKind.MP4_DOWNLOAD),
        duration=video.duration,
        is_audio_only=video.is_audio_only,
        thumbnail_urls=[file_url(video, r.relative_path) for r in by_kind.get(RenditionKind.THUMBNAIL, [])],
        captions=[CaptionTrack(c.language, c.label, file_url(video, c.relative_path)) for c in video.captions.all()],
    )
