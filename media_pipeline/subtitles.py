"""Captions as an HLS subtitle rendition: the master playlist lists one per caption language.

For each caption the current generation gets ``subs/<lang>-<token>.vtt`` (the
caption with an ``X-TIMESTAMP-MAP`` header tying cue time 0 to the first video
frame's MPEG-TS time, as RFC 8216 §3.5 asks for MPEG-TS media) and a one-segment
VOD media playlist ``subs/<lang>-<token>.m3u8``; the master gets an
``EXT-X-MEDIA:TYPE=SUBTITLES`` line per language and ``SUBTITLES="subs"`` on
every variant. Native HLS players (Safari, Android's ExoPlayer, VLC, smart TVs)
show them from there; the web player uses the same captions as ``<track>``
elements.

``sync_subtitles`` rewrites all of this from the database: after a generation
becomes current and after a caption is added or removed (both after commit).
It is idempotent; files of removed captions are deleted. The token in the file
names changes with the caption's content, so the year-long cache of ``.vtt``
files never serves stale text; the master is cached for a minute.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import posixpath
import tempfile

from django.core.files.base import ContentFile

from media_pipeline.models import Caption, LectureVideo, RenditionKind
from media_pipeline.playlists import parse_master, render_master
from media_pipeline.storage import (
    _with_object_parameters,
    cache_control_for,
    content_type_for,
    get_storage,
    list_prefix,
    supports_local_paths,
)

logger = logging.getLogger(__name__)

GROUP_ID = "subs"
SUBS_DIR = "subs/"
MASTER = "master.m3u8"
MPEGTS_CLOCK = 90_000


def caption_stem(caption: Caption) -> str:
    """``vi-1a2b3c4d`` from ``videos/<uuid>/captions/vi-1a2b3c4d.vtt``."""
    return posixpath.splitext(posixpath.basename(caption.file.name))[0]


def with_timestamp_map(vtt: str, start_time: float | None) -> str:
    """The WebVTT text with ``X-TIMESTAMP-MAP`` in its header (replacing any there was)."""
    lines = vtt.replace("\r\n", "\n").split("\n")
    header_end = lines.index("") if "" in lines else len(lines)
    header = [line for line in lines[:header_end] if not line.startswith("X-TIMESTAMP-MAP=")]
    pts = round((start_time or 0.0) * MPEGTS_CLOCK)
    header.insert(1, f"X-TIMESTAMP-MAP=MPEGTS:{pts},LOCAL:00:00:00.000")
    return "\n".join(header + lines[header_end:])


def media_playlist(vtt_name: str, duration: float) -> str:
    target = max(1, math.ceil(duration))
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n"
        f"#EXT-X-TARGETDURATION:{target}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        f"#EXTINF:{duration:.3f},\n{vtt_name}\n#EXT-X-ENDLIST\n"
    )


def write_text(storage, name: str, text: str) -> None:
    """Write (or replace) a small text object in one step: readers see the old or the new file, never none."""
    data = text.encode("utf-8")
    if supports_local_paths(storage):
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o640)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return
    params = {"ContentType": content_type_for(name), "CacheControl": cache_control_for(name)}
    target = _with_object_parameters(storage, params)  # S3: overwrites in one PUT
    target.save(name, ContentFile(data))


def sync_subtitles(video_id: int) -> bool:
    """Make the current generation's master playlist list exactly the video's captions (False: no generation)."""
    video = LectureVideo.objects.filter(pk=video_id).first()
    if video is None or not video.output_prefix:
        return False
    storage = get_storage()
    prefix = video.output_prefix
    master_row = video.renditions.filter(kind=RenditionKind.MASTER_PLAYLIST).first()
    duration = (master_row.duration if master_row else None) or video.duration or 1.0
    start_time = master_row.start_time if master_row else None
    with storage.open(prefix + MASTER, "rb") as fh:
        text = fh.read().decode("utf-8")
    captions = list(Caption.objects.filter(video=video).order_by("language"))
    if not captions and "#EXT-X-MEDIA:" not in text:
        return True  # nothing to add, nothing to take away
    master = parse_master(text)

    wanted: set[str] = set()
    master.media = []
    for caption in captions:
        stem = caption_stem(caption)
        vtt_name, playlist_name = f"{SUBS_DIR}{stem}.vtt", f"{SUBS_DIR}{stem}.m3u8"
        wanted.update({prefix + vtt_name, prefix + playlist_name})
        if not storage.exists(prefix + playlist_name):
            with caption.file.open("rb") as fh:
                vtt = fh.read().decode("utf-8")
            write_text(storage, prefix + vtt_name, with_timestamp_map(vtt, start_time))
            write_text(storage, prefix + playlist_name, media_playlist(posixpath.basename(vtt_name), duration))
        master.media.append(
            {
                "TYPE": "SUBTITLES",
                "GROUP-ID": GROUP_ID,
                "NAME": caption.label or caption.language,
                "LANGUAGE": caption.language,
                "DEFAULT": "NO",
                "AUTOSELECT": "YES",
                "FORCED": "NO",
                "URI": playlist_name,
            }
        )
    for variant in master.variants:
        if master.media:
            variant.attributes["SUBTITLES"] = GROUP_ID
        else:
            variant.attributes.pop("SUBTITLES", None)
    write_text(storage, prefix + MASTER, render_master(master))
    for name in list_prefix(storage, prefix + SUBS_DIR):
        if name not in wanted:
            storage.delete(name)
    logger.info("Video %s: master playlist lists %d subtitle rendition(s)", video.uuid, len(master.media))
    return True


def sync_subtitles_quietly(video_id: int) -> None:
    """``sync_subtitles`` for after-commit hooks: a storage hiccup is logged, never raised into a request."""
    try:
        sync_subtitles(video_id)
    except Exception:
        logger.exception("Could not write the subtitle renditions of video %s", video_id)
