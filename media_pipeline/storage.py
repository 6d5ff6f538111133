"""Every file of a lecture video goes through Django's storage API: local disk or S3 alike.

Layout, all under one unguessable per-video prefix so deleting a video is one
prefix delete::

    videos/<uuid>/original/source.mp4          the upload (editors only)
    videos/<uuid>/captions/vi-<token>.vtt       captions (independent of transcodes)
    videos/<uuid>/<generation>/master.m3u8      one generation per transcode run:
    videos/<uuid>/<generation>/360p/index.m3u8  playlists, segments, download,
    videos/<uuid>/<generation>/360p/seg_00000.ts  poster, thumbnails
    ...

A run writes a *new* generation; the job switches the video's renditions to it
in one transaction, and only then deletes the previous generation. A failed
run deletes its own partial generation. So players never see a half-written
ladder, and nothing is orphaned.

Content types and cache headers: the local-disk backend stores neither, so the
serving view sets them; on S3 they are stored with each object (so the signed
URL the view redirects to answers with them). A generation never changes
once written, so segments and pictures are cached for a year (``immutable``);
playlists briefly. Everything is ``private``: drafts must not sit in shared caches.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import posixpath
import secrets
import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.utils import timezone

logger = logging.getLogger(__name__)

ROOT = "videos"
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".jpg": "image/jpeg",
    ".vtt": "text/vtt; charset=utf-8",
}
CACHE_IMMUTABLE = "private, max-age=31536000, immutable"
CACHE_PLAYLIST = "private, max-age=60"


def get_storage() -> Storage:
    """The storage lecture media lives in: Django's default storage."""
    return storages["default"]


def video_prefix(video_uuid) -> str:
    return f"{ROOT}/{video_uuid}/"


def new_generation_prefix(video_uuid) -> str:
    """A fresh prefix per run: sortable by time, never reused."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    return f"{video_prefix(video_uuid)}g{stamp}-{secrets.token_hex(4)}/"


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(posixpath.splitext(name)[1].lower(), "application/octet-stream")


def cache_control_for(name: str) -> str:
    return CACHE_PLAYLIST if name.endswith(".m3u8") else CACHE_IMMUTABLE


def supports_local_paths(storage: Storage) -> bool:
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


# --- Writing ---------------------------------------------------------------------


_CLONES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CLONES_LOCK = threading.Lock()


def _with_object_parameters(storage: Storage, params: dict[str, str]) -> Storage:
    """A variant of an S3 storage that writes ``params`` (ContentType, CacheControl) with each object.

    django-storages takes per-object parameters only from ``get_object_parameters``;
    a copy with its own ``object_parameters`` gives them per file type without a
    project-wide storage subclass. The copy shares the original's per-thread
    connections (creating a boto3 client costs a few hundred milliseconds of
    CPU). A fresh generation prefix cannot collide, so it also skips the
    existence check ``file_overwrite = False`` would make for every segment.
    """
    if not hasattr(storage, "object_parameters"):
        return storage
    key = tuple(sorted(params.items()))
    with _CLONES_LOCK:
        clones = _CLONES.setdefault(storage, {})
        if key not in clones:
            clone = copy.copy(storage)
            clone._connections = storage._connections
            clone._unsigned_connections = storage._unsigned_connections
            clone.object_parameters = {**storage.object_parameters, **params}
            clone.file_overwrite = True
            clones[key] = clone
        return clones[key]


def save_local_file(storage: Storage, name: str, local_path: str | os.PathLike) -> str:
    """Upload one local file as ``name`` (exactly: playlists refer to it by that name)."""
    params = {"ContentType": content_type_for(name), "CacheControl": cache_control_for(name)}
    target = _with_object_parameters(storage, params)
    with open(local_path, "rb") as fh:
        saved = target.save(name, File(fh, name=posixpath.basename(name)))
    if saved != name:
        target.delete(saved)
        raise RuntimeError(f"Storage renamed {name!r} to {saved!r}; the generation prefix is not fresh.")
    return saved


def upload_outputs(
    storage: Storage,
    prefix: str,
    out_dir: str | os.PathLike,
    files: list[str],
    *,
    concurrency: int = 4,
    on_file: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Upload ``files`` (relative to ``out_dir``) under ``prefix``, a few at a time.

    Playlists go last, so a reader listing the generation never finds a
    playlist whose segments are not there yet. ``on_file(done, total)`` runs in
    the calling thread (it may touch the database).
    """
    out = Path(out_dir)
    ordered = sorted(files, key=lambda f: (f.endswith(".m3u8"), f.count("/") == 0, f))
    names = [prefix + f for f in ordered]
    done = 0
    if concurrency <= 1:
        for f in ordered:
            save_local_file(storage, prefix + f, out / f)
            done += 1
            if on_file is not None:
                on_file(done, len(ordered))
        return names
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        pending = [pool.submit(save_local_file, storage, prefix + f, out / f) for f in ordered]
        try:
            for future in pending:
                future.result()
                done += 1
                if on_file is not None:
                    on_file(done, len(pending))
        except BaseException:
            # Stop queued uploads (the caller deletes what was written); running ones finish first.
            for future in pending:
                future.cancel()
            raise
    return names


# --- Reading and deleting -----------------------------------------------------------


def _is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket") and hasattr(storage, "_normalize_name")


def _s3_key(storage: Storage, name: str) -> str:
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def list_prefix(storage: Storage, prefix: str) -> list[str]:
    """Every file name under ``prefix``, recursively.

    Any storage with ``listdir`` works; on S3 one flat listing replaces a
    request per "directory".
    """
    if _is_s3(storage):
        key_prefix = _s3_key(storage, prefix.rstrip("/")) + "/"
        base = prefix.rstrip("/") + "/"
        return sorted(base + obj.key[len(key_prefix) :] for obj in storage.bucket.objects.filter(Prefix=key_prefix))
    found: list[str] = []
    stack = [prefix.rstrip("/")]
    while stack:
        current = stack.pop()
        try:
            dirs, files = storage.listdir(current)
        except FileNotFoundError:
            continue
        found.extend(f"{current}/{f}" for f in files)
        stack.extend(f"{current}/{d}" for d in dirs)
    return sorted(found)


def delete_prefix(storage: Storage, prefix: str, *, concurrency: int = 8) -> int:
    """Delete everything under ``prefix``; returns how many files went. Safe to repeat."""
    if not prefix.startswith(f"{ROOT}/") or prefix.count("/") < 2:
        raise ValueError(f"Refusing to delete outside a video's prefix: {prefix!r}")
    names = list_prefix(storage, prefix)
    if _is_s3(storage):
        # Batched DeleteObjects (1000 keys a request) instead of one request per segment.
        storage.bucket.objects.filter(Prefix=_s3_key(storage, prefix.rstrip("/")) + "/").delete()
    else:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            list(pool.map(storage.delete, names))
    if supports_local_paths(storage):
        _remove_empty_dirs(Path(storage.path(prefix.rstrip("/"))))
    logger.info("Deleted %d files under %s", len(names), prefix)
    return len(names)


def _remove_empty_dirs(root: Path) -> None:
    """Local disk keeps directories after their files go; remove the empty ones under ``root``."""
    if not root.is_dir():
        return
    for path in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir()
    with contextlib.suppress(OSError):
        root.rmdir()


@contextlib.contextmanager
def local_copy(
    storage: Storage, name: str, work_dir: str | os.PathLike, *, on_chunk: Callable[[], None] | None = None
) -> Iterator[Path]:
    """A local path for the stored file ``name``, streamed to disk if it is not already local.

    Never the whole file in memory: on S3 it is fetched with boto3's managed
    download (django-storages' ``open()`` would buffer all of it in RAM).
    ``on_chunk`` is called in this thread as data arrives (the job's heartbeat:
    a 2 GiB download must not look like a dead worker).
    """
    if supports_local_paths(storage):
        path = Path(storage.path(name))
        if path.exists():
            yield path
            return
    dest = Path(work_dir) / ("source" + posixpath.splitext(name)[1].lower())
    tick = on_chunk or (lambda: None)
    if _is_s3(storage):
        from boto3.s3.transfer import TransferConfig

        # One stream in this thread, so the callback may touch the database.
        config = TransferConfig(use_threads=False)
        storage.bucket.download_file(_s3_key(storage, name), str(dest), Config=config, Callback=lambda _n: tick())
    else:
        with storage.open(name, "rb") as src, open(dest, "wb") as dst:
            while chunk := src.read(1024 * 1024):
                dst.write(chunk)
                tick()
    try:
        yield dest
    finally:
        with contextlib.suppress(FileNotFoundError):
            dest.unlink()
