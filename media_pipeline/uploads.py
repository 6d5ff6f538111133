"""Resumable uploads of lecture videos: a file of up to 2 GB sent in chunks over a weak link.

The protocol (the admin's upload page and the material editor speak it, see
``static/media_pipeline/upload.js``)::

    POST   uploads/                 title, filename, size[, school] → {id, offset: 0, chunk_bytes}
    GET    uploads/<id>/            → {offset, size}: how much arrived (after a drop or a reload)
    PUT    uploads/<id>/?offset=N   the next bytes → {offset} (409 with the real offset if N is wrong)
                                    the last chunk probes the file → {video, status, status_url}
    DELETE uploads/<id>/            give up; the partial file goes

Bytes go straight from the request stream to a ``.part`` file on the web
server's disk (``MEDIA_UPLOAD_DIR``), a megabyte at a time: never the whole file
in memory. The ``.part`` file's length is the truth about what arrived (a
connection dropped mid-chunk keeps what was written), and an exclusive lock on
it keeps two requests from writing at once. When the last byte arrives the file
is probed (``services.create_video_from_upload``): a refused file is recorded
with its Vietnamese reason and not stored; an accepted one is stored (moved,
on local disk) and queued for conversion. Abandoned uploads expire
(``expire_uploads``, run by ``manage.py recover_transcodes``).

Several web servers need the same ``MEDIA_UPLOAD_DIR`` (a shared volume) or
sticky sessions, since chunks of one upload may reach any of them.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.access import can
from lms.text import nfc
from media_pipeline.conf import media_settings
from media_pipeline.errors import MediaError
from media_pipeline.models import LectureVideo, VideoUpload
from media_pipeline.probe import check_size

logger = logging.getLogger(__name__)

READ_BYTES = 1024 * 1024


class UploadError(MediaError):
    pass


class OffsetMismatch(Exception):
    """The client sent bytes for another offset than the one the server has reached."""

    def __init__(self, expected: int):
        self.expected = expected
        super().__init__(f"expected offset {expected}")


class LocalFile(File):
    """A file already on local disk, passed to the services as an upload (so it is moved, not copied)."""

    def __init__(self, path: str | os.PathLike, name: str):
        self._path = os.fspath(path)
        super().__init__(open(self._path, "rb"), name=name)  # closed by the caller

    def temporary_file_path(self) -> str:
        return self._path


def upload_dir() -> Path:
    conf = media_settings()
    root = Path(conf.upload_dir or conf.work_dir or tempfile.gettempdir()) / "lms-video-uploads"
    root.mkdir(parents=True, exist_ok=True)
    return root


def part_path(upload: VideoUpload) -> Path:
    return upload_dir() / f"{upload.token}.part"


def received_bytes(upload: VideoUpload) -> int:
    try:
        return part_path(upload).stat().st_size
    except FileNotFoundError:
        return 0


def start_upload(*, actor, title: str, filename: str, size: int, school=None) -> VideoUpload:
    """Open an upload after checking who may upload, the title and the announced size."""
    if not can(actor, "video.upload", school):
        raise PermissionDenied("You may not upload lecture videos for this school.")
    title = nfc((title or "").strip())[:255]
    if not title:
        raise UploadError("title_missing", _("Please give the video a title."))
    name = os.path.basename(nfc((filename or "").strip()).replace("\\", "/"))[:255] or "video"
    check_size(max(0, int(size)))  # ProbeRejected for an empty or oversized file, before a byte is sent
    upload = VideoUpload.objects.create(owner=actor, school=school, title=title, filename=name, size=int(size))
    part_path(upload).touch()
    return upload


def get_upload(actor, token) -> VideoUpload | None:
    """The actor's own upload by token (None for a missing one or somebody else's)."""
    try:
        return VideoUpload.objects.select_related("school", "video").get(token=token, owner=actor)
    except (VideoUpload.DoesNotExist, ValueError, TypeError):
        return None


@contextlib.contextmanager
def _locked_part(upload: VideoUpload):
    path = part_path(upload)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OffsetMismatch(os.fstat(fd).st_size) from None
        yield fd
    finally:
        os.close(fd)


def append_chunk(upload: VideoUpload, *, offset: int, stream, length: int) -> VideoUpload:
    """Write ``length`` bytes read from ``stream`` at ``offset``; the piece that completes the file finishes it.

    Raises ``OffsetMismatch`` (with the offset to continue from) when ``offset``
    is not where the file ends, or another request is writing this upload. An
    empty piece at the end finishes an upload whose finishing failed (say, the
    storage was down): the bytes are still here, nothing is sent again.
    """
    limit = media_settings().max_chunk_bytes
    if length < 0 or length > limit or (length == 0 and offset != upload.size):
        message = _("A piece of the upload must be between 1 byte and %(limit_mb)s MB.")
        raise UploadError("chunk_size", message, {"limit_mb": limit >> 20})
    if offset + length > upload.size:
        raise UploadError("chunk_beyond_end", _("The upload is longer than the size announced at its start."))
    with _locked_part(upload) as fd:
        # Under the lock: a finished upload is finished once, whoever asks.
        upload.video_id = VideoUpload.objects.filter(pk=upload.pk).values_list("video_id", flat=True).first()
        if upload.video_id is not None:
            raise OffsetMismatch(upload.size)
        end = os.fstat(fd).st_size
        if offset != end:
            raise OffsetMismatch(end)
        os.lseek(fd, offset, os.SEEK_SET)
        left = length
        try:
            while left > 0:
                data = stream.read(min(READ_BYTES, left))
                if not data:
                    break
                os.write(fd, data)
                left -= len(data)
        finally:
            # What was written stays: a dropped connection resumes from here.
            upload.received = os.fstat(fd).st_size
            VideoUpload.objects.filter(pk=upload.pk).update(received=upload.received, updated_at=timezone.now())
        if left:
            message = _("The connection dropped; the upload will continue from where it stopped.")
            raise UploadError("chunk_incomplete", message)
        if upload.received >= upload.size:
            finish_upload(upload)
    return upload


def finish_upload(upload: VideoUpload) -> LectureVideo:
    """Probe and store the complete file (or record why it is refused), then forget the upload's part file.

    If storing fails (an exception), the part file stays, so the client can ask
    again (an empty piece at the end) without sending the bytes again.
    """
    from media_pipeline.services import create_video_from_upload

    path = part_path(upload)
    with LocalFile(path, name=upload.filename) as local:
        video = create_video_from_upload(
            owner=upload.owner, title=upload.title, uploaded_file=local, school=upload.school, actor=upload.owner
        )
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # already moved into storage on local disk
    upload.video = video
    upload.save(update_fields=["video", "updated_at"])
    return video


def abort_upload(upload: VideoUpload) -> None:
    with contextlib.suppress(FileNotFoundError):
        part_path(upload).unlink()
    upload.delete()


def expire_uploads(now=None) -> int:
    """Remove uploads untouched for ``MEDIA_UPLOAD_EXPIRY_HOURS`` (and finished ones' rows); returns how many."""
    now = now or timezone.now()
    stale = VideoUpload.objects.filter(updated_at__lt=now - timedelta(hours=media_settings().upload_expiry_hours))
    count = 0
    for upload in stale:
        abort_upload(upload)
        count += 1
    if count:
        logger.info("Removed %d abandoned video upload(s)", count)
    return count
