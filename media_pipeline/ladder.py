"""The bitrate ladder: which renditions to make from a source, as a pure function.

Why these numbers
-----------------
Lectures are low-motion (a teacher, a board, slides), so they compress far better
than films; the rungs are sized for Vietnamese mobile links rather than for
picture quality at any cost:

=====  ==========  ===========  ==================================================
rung   video       audio (AAC)  aimed at
=====  ==========  ===========  ==================================================
240p   250 kbit/s  64 kbit/s    weak 3G and 2.5G in the mountains: ~0.35 Mbit/s peak
360p   500 kbit/s  64 kbit/s    ordinary 3G (~1 Mbit/s) with ABR headroom; ~250 MB/hour
480p   900 kbit/s  96 kbit/s    good 3G / crowded 4G
720p   1800 kbit/s 128 kbit/s   4G and school Wi-Fi; board writing stays legible
audio  —           48 kbit/s    "sound only": ≤ 64 kbit/s with its packaging, ~25 MB/hour
=====  ==========  ===========  ==================================================

The 720p figure is well under Apple's authoring guide (which assumes films);
halving each step keeps the rungs far enough apart for ABR to choose. Peaks are
capped (``maxrate`` 110 %, two-second ``bufsize``) so a scene change cannot
stall a weak link. Non-16:9 frames get bitrates scaled by their pixel count.

The audio-only rung stays ≤ 64 kbit/s *including* its MPEG-TS packaging (which
adds some 8 kbit/s: one PES packet per AAC frame), the audio-only fallback Apple
asks of HLS on cellular networks; 48 kbit/s AAC-LC is clear for speech.
ffmpeg's native AAC encoder has no HE-AAC, which would sound better at this rate.

Rungs are chosen by the *short* side, so a portrait phone video (360×640) gets
360p = 360×640, never upscaled: no rung is larger than the source, and a source
smaller than 240p gets one rung at its own size. Dimensions are even (H.264
4:2:0 needs it) and keep the aspect ratio.

Segments are ``segment_seconds`` long (4 s by default, within Apple's 4–6 s
advice: short enough to start fast on 3G, long enough to keep request overhead
low). Every rung gets the same key frames (a GOP of exactly segment_seconds ×
fps, no scene-cut key frames, and forced key frames on segment boundaries) so
segment *n* of every rung starts at the same instant and the player can switch
rungs at any boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

# (short side, video bit/s, audio bit/s at that rung), highest first.
RUNGS: tuple[tuple[int, int, int], ...] = (
    (720, 1_800_000, 128_000),
    (480, 900_000, 96_000),
    (360, 500_000, 64_000),
    (240, 250_000, 64_000),
)
AUDIO_ONLY_BITRATE = 48_000
DOWNLOAD_SHORT_SIDE = 360
MAX_FRAME_RATE = 30.5
MIN_FRAME_RATE = 5
THUMBNAIL_LONG_SIDE = 320
THUMBNAIL_COUNT = 5
_STANDARD_RATES = (Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30))


@dataclass(frozen=True)
class VideoRung:
    name: str
    width: int
    height: int
    video_bitrate: int
    audio_bitrate: int | None

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)

    @property
    def maxrate(self) -> int:
        return round(self.video_bitrate * 1.1)

    @property
    def bufsize(self) -> int:
        return self.video_bitrate * 2


@dataclass(frozen=True)
class AudioRung:
    name: str
    bitrate: int


@dataclass(frozen=True)
class LadderPlan:
    """Everything the transcoder needs; ``video_rungs`` are lowest first, as the master playlist lists them."""

    video_rungs: tuple[VideoRung, ...]
    audio_rung: AudioRung | None
    segment_seconds: int
    frame_rate: Fraction | None
    audio_channels: int
    download_rung: VideoRung | None
    thumbnail_size: tuple[int, int] | None

    @property
    def has_video(self) -> bool:
        return bool(self.video_rungs)

    @property
    def has_audio(self) -> bool:
        return self.audio_rung is not None

    @property
    def keyint(self) -> int | None:
        """GOP length in frames: one key frame per segment."""
        if self.frame_rate is None:
            return None
        return max(1, round(self.segment_seconds * self.frame_rate))

    @property
    def force_key_frames(self) -> str:
        return f"expr:gte(t,n_forced*{self.segment_seconds})"

    @property
    def poster_size(self) -> tuple[int, int] | None:
        top = self.video_rungs[-1] if self.video_rungs else None
        return (top.width, top.height) if top else None


def plan_ladder(
    *,
    width: int | None,
    height: int | None,
    frame_rate: float | None,
    has_video: bool,
    has_audio: bool,
    audio_channels: int | None = None,
    segment_seconds: int = 4,
) -> LadderPlan:
    """Plan the renditions for a source of this displayed size (see the module docstring)."""
    if not 1 <= segment_seconds <= 10:
        raise ValueError("segment_seconds must be between 1 and 10")
    if not has_video and not has_audio:
        raise ValueError("a source needs video or audio")
    rungs: tuple[VideoRung, ...] = ()
    fps = None
    download = thumb = None
    if has_video:
        if not width or not height or width <= 0 or height <= 0:
            raise ValueError("a video source needs a width and a height")
        rungs = video_rungs(width, height, with_audio=has_audio)
        fps = target_frame_rate(frame_rate)
        fitting = [r for r in rungs if r.short_side <= DOWNLOAD_SHORT_SIDE]
        download = fitting[-1] if fitting else rungs[0]
        thumb = fit_within(width, height, THUMBNAIL_LONG_SIDE)
    return LadderPlan(
        video_rungs=rungs,
        audio_rung=AudioRung("audio", AUDIO_ONLY_BITRATE) if has_audio else None,
        segment_seconds=segment_seconds,
        frame_rate=fps,
        audio_channels=min(audio_channels or 2, 2),
        download_rung=download,
        thumbnail_size=thumb,
    )


def video_rungs(width: int, height: int, *, with_audio: bool = True) -> tuple[VideoRung, ...]:
    """The rungs for a width×height source, lowest first, none larger than the source."""
    short = min(width, height)
    chosen = [(side, v, a) for side, v, a in RUNGS if side <= short]
    if not chosen:
        # Smaller than the lowest rung: one rung at the source's own (even) size.
        w, h = even_floor(width), even_floor(height)
        side = min(w, h)
        rung = _rung(side, w, h, RUNGS[-1][1], RUNGS[-1][2], with_audio)
        return (rung,)
    out = []
    for side, v_rate, a_rate in chosen:
        w, h = scaled_to_short_side(width, height, side)
        out.append(_rung(side, w, h, v_rate, a_rate, with_audio))
    return tuple(reversed(out))


def _rung(side: int, w: int, h: int, nominal_rate: int, audio_rate: int, with_audio: bool) -> VideoRung:
    # Nominal bitrates are for a 16:9 frame; scale by the actual pixel count (within reason).
    nominal_area = side * even_round(side * 16 / 9)
    factor = min(1.0, max(0.4, (w * h) / nominal_area))
    rate = max(100_000, int(round(nominal_rate * factor, -3)))
    return VideoRung(f"{side}p", w, h, rate, audio_rate if with_audio else None)


def scaled_to_short_side(width: int, height: int, side: int) -> tuple[int, int]:
    """Scale so the short side is ``side``; the long side keeps the aspect ratio, rounded to even."""
    if width >= height:
        return even_round(side * width / height), side
    return side, even_round(side * height / width)


def fit_within(width: int, height: int, long_side: int) -> tuple[int, int]:
    """Scale down (never up) so the long side is at most ``long_side``; even dimensions."""
    scale = min(1.0, long_side / max(width, height))
    return max(2, even_round(width * scale)), max(2, even_round(height * scale))


def even_round(value: float) -> int:
    return max(2, round(value / 2) * 2)


def even_floor(value: int) -> int:
    return max(2, value - value % 2)


def target_frame_rate(source: float | None) -> Fraction:
    """Keep the source rate up to 30 fps; halve (or divide further) faster sources; snap to standard rates.

    60 → 30, 59.94 → 29.97, 50 → 25, 29.87 (a phone's average) → 29.97, 12.5 → 12.5;
    unknown → 25; never below 5 (slideshows), so a GOP stays a whole number of frames.
    """
    if not source or source <= 0:
        return Fraction(25)
    divisor = max(1, math.ceil(source / MAX_FRAME_RATE))
    rate = source / divisor
    nearest = min(_STANDARD_RATES, key=lambda standard: abs(rate - standard))
    if abs(rate - nearest) / nearest < 0.02:
        return nearest
    if rate < MIN_FRAME_RATE:
        return Fraction(MIN_FRAME_RATE)
    return Fraction(rate).limit_denominator(1001)
