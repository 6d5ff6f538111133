"""Probe an upload with ffprobe and decide whether we accept it.

Run on a local file (the upload's temporary file, or a copy streamed from
storage), so ffprobe never reads over the network. Two guards keep a hostile
file from steering ffmpeg: ``protocol_whitelist=file`` (no http, no
concat/hls tricks that read other files) and a whitelist of container demuxers
(a playlist, an image or a text file is refused before any decoder runs).

Audio-only uploads are accepted as *audio lectures*: many teachers record
lessons as sound only (radio-style lessons are common where bandwidth is poor),
and the pipeline then produces just the audio rung. A video's cover picture
(``attached_pic``, as in MP3 or M4A files) does not count as video.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import ffmpeg

from media_pipeline.conf import media_settings
from media_pipeline.errors import MESSAGES, ProbeRejected, format_duration

logger = logging.getLogger(__name__)

# Demuxers we let ffprobe/ffmpeg pick from (ffmpeg names; a comma list, as -format_whitelist takes).
ALLOWED_DEMUXERS = (
    "mov",  # mov,mp4,m4a,3gp,3g2,mj2: phones, cameras, screen recorders
    "matroska",  # matroska,webm: OBS, browsers
    "webm",
    "avi",
    "flv",
    "mpegts",  # camcorders (.mts), broadcast captures
    "mpeg",  # DVD/VOB, old MPEG-1/2 files
    "asf",  # WMV/WMA from older Windows tools
    "ogg",
    "wav",
    "mp3",
    "aac",
    "flac",
    "amr",  # phone voice recordings
)

# Leading bytes of containers we know; a file that starts like one but that ffprobe
# cannot open is "damaged", anything else is "not media".
_MAGIC_AT_4 = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")
_MAGIC_AT_0 = (
    b"\x1a\x45\xdf\xa3",  # Matroska/WebM (EBML)
    b"RIFF",  # AVI, WAV
    b"FLV",
    b"OggS",
    b"\x30\x26\xb2\x75",  # ASF
    b"\x00\x00\x01\xba",  # MPEG program stream
    b"ID3",
    b"fLaC",
    b"#!AMR",
)


@dataclass(frozen=True)
class ProbeResult:
    """What the pipeline needs to know about an accepted input.

    ``width``/``height`` are the *displayed* size: a phone video stored as
    1920×1080 with a 90° rotation flag is 1080×1920 here, as ffmpeg's
    autorotation will deliver it to the filters.
    """

    container: str
    size: int
    duration: float
    has_video: bool
    has_audio: bool
    width: int | None = None
    height: int | None = None
    rotation: int = 0
    frame_rate: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    audio_channels: int | None = None
    video_index: int | None = None
    audio_index: int | None = None
    sample_aspect_ratio: Fraction = field(default_factory=lambda: Fraction(1))

    @property
    def is_audio_only(self) -> bool:
        return self.has_audio and not self.has_video

    @property
    def codecs(self) -> str:
        return ",".join(c for c in (self.video_codec, self.audio_codec) if c)


def reject(code: str, **params) -> ProbeRejected:
    return ProbeRejected(code, MESSAGES[code], params)


def check_size(size: int) -> None:
    """Refuse empty and oversized files before anything reads them."""
    limit = media_settings().max_upload_bytes
    if size == 0:
        raise reject("empty_file")
    if size > limit:
        raise reject("file_too_large", size_mb=max(1, round(size / 1024**2)), limit_mb=max(1, round(limit / 1024**2)))


def probe_file(path: str | os.PathLike, *, size: int | None = None) -> ProbeResult:
    """Probe ``path`` and return what we know, or raise ``ProbeRejected`` with a code and message."""
    conf = media_settings()
    path = os.fspath(path)
    if size is None:
        size = os.path.getsize(path)
    check_size(size)
    try:
        data = ffmpeg.probe(
            path,
            cmd=conf.ffprobe_binary,
            v="error",
            protocol_whitelist="file",
            format_whitelist=",".join(ALLOWED_DEMUXERS),
        )
    except ffmpeg.Error as exc:
        stderr = (exc.stderr or b"").decode("utf-8", "replace").strip()
        logger.info("ffprobe refused %s: %s", path, stderr[-500:])
        if "not on whitelist" in stderr:
            raise reject("unsupported_format", format=_sniff_label(path)) from None
        raise reject("corrupt_file" if looks_like_media(path) else "not_media") from None
    except (OSError, ValueError) as exc:  # ffprobe missing, or unreadable JSON
        raise reject("not_media") from exc
    return interpret(data, size=size, max_duration=conf.max_duration_seconds, max_pixels=conf.max_frame_pixels)


def interpret(data: dict[str, Any], *, size: int, max_duration: float, max_pixels: int) -> ProbeResult:
    """Turn ffprobe's JSON into a ProbeResult, applying the limits (pure; unit-tested)."""
    fmt = data.get("format") or {}
    container = str(fmt.get("format_name") or "")
    if not set(container.split(",")) & set(ALLOWED_DEMUXERS):
        raise reject("unsupported_format", format=container or "?")
    streams = data.get("streams") or []
    video = [s for s in streams if s.get("codec_type") == "video" and not _is_cover_art(s)]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if not video and not audio:
        raise reject("no_streams")
    for stream in video[:1] + audio[:1]:
        if stream.get("codec_name") in (None, "", "none", "unknown"):
            raise reject("unsupported_codec", codec=stream.get("codec_tag_string") or "?")

    duration = _duration(fmt, video[:1] + audio[:1])
    if duration is None or duration <= 0:
        raise reject("no_duration")
    if duration > max_duration:
        raise reject("too_long", duration=format_duration(duration), limit=format_duration(max_duration))

    result: dict[str, Any] = {
        "container": container,
        "size": size,
        "duration": duration,
        "has_video": bool(video),
        "has_audio": bool(audio),
    }
    if audio:
        result["audio_codec"] = str(audio[0].get("codec_name"))
        channels = audio[0].get("channels")
        result["audio_channels"] = int(channels) if channels else None
        result["audio_index"] = int(audio[0].get("index", 0))
    if video:
        v = video[0]
        coded_w, coded_h = int(v.get("width") or 0), int(v.get("height") or 0)
        if coded_w <= 0 or coded_h <= 0:
            raise reject("bad_dimensions")
        if coded_w * coded_h > max_pixels:
            raise reject("resolution_too_high", width=coded_w, height=coded_h, limit=round(max_pixels / 1e6, 1))
        sar = _fraction(v.get("sample_aspect_ratio")) or Fraction(1)
        if not (Fraction(1, 4) <= sar <= 4):
            sar = Fraction(1)
        rotation = _rotation(v)
        # Displayed size: apply the pixel aspect ratio to the width, then the rotation.
        width, height = round(coded_w * sar), coded_h
        if rotation in (90, 270):
            width, height = height, width
        result.update(
            width=width,
            height=height,
            rotation=rotation,
            frame_rate=_frame_rate(v),
            video_codec=str(v.get("codec_name")),
            video_index=int(v.get("index", 0)),
            sample_aspect_ratio=sar,
        )
    return ProbeResult(**result)


def looks_like_media(path: str) -> bool:
    """Does the file start like a container we know? (Tells "damaged" from "not a video".)"""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    if head[4:8] in _MAGIC_AT_4 or head.startswith(_MAGIC_AT_0):
        return True
    return len(head) >= 1 and head[0] == 0x47 and _is_mpegts(path)


def _is_mpegts(path: str) -> bool:
    with open(path, "rb") as f:
        chunk = f.read(188 * 3 + 1)
    return len(chunk) > 376 and chunk[188] == 0x47 and chunk[376] == 0x47


def _sniff_label(path: str) -> str:
    return os.path.splitext(path)[1].lstrip(".").lower() or "?"


def _is_cover_art(stream: dict) -> bool:
    return bool((stream.get("disposition") or {}).get("attached_pic"))


def _duration(fmt: dict, streams: list[dict]) -> float | None:
    candidates = [_float(fmt.get("duration"))] + [_float(s.get("duration")) for s in streams]
    values = [c for c in candidates if c and c > 0]
    return max(values) if values else None


def _rotation(stream: dict) -> int:
    """The display rotation in degrees (0, 90, 180, 270), from side data or the old ``rotate`` tag."""
    raw = None
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            raw = side["rotation"]
    if raw is None:
        raw = (stream.get("tags") or {}).get("rotate")
    value = _float(raw)
    if value is None:
        return 0
    return int(round(value / 90.0) * 90) % 360


def _frame_rate(stream: dict) -> float | None:
    for key in ("avg_frame_rate", "r_frame_rate"):
        rate = _fraction(stream.get(key))
        if rate and 1 <= rate <= 240:
            return float(rate)
    return None


def _fraction(value: Any) -> Fraction | None:
    if not value or not isinstance(value, str):
        return None
    try:
        num, _sep, den = value.replace(":", "/").partition("/")
        frac = Fraction(int(num), int(den or 1))
    except (ValueError, ZeroDivisionError):
        return None
    return frac if frac > 0 else None


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
