"""Turn an accepted source into the HLS ladder, an MP4 download, a poster and thumbnails.

Two ffmpeg runs, both built with ffmpeg-python:

1. **The ladder.** The source is decoded once; a ``split`` filter feeds one
   scaler per rung and ``asplit`` one AAC encoder per rung plus the audio-only
   rung. One HLS muxer (``-var_stream_map``) writes every variant, its media
   playlist and a master playlist. This is the expensive pass, and the only one
   whose progress is reported.
   Two more branches of the same decoded picture give the poster (a frame at
   10 % of the duration) and the thumbnails (``select`` by frame number): no
   second decode of the source, which used to cost as much as the ladder.
2. **The MP4 download**, cheap: the 360p variant's segments *remuxed*
   (``-c copy``, ``+faststart``), not encoded again.

The master playlist is then rewritten from measurements (``measure.py``), so
every variant carries BANDWIDTH, RESOLUTION and CODECS whatever ffmpeg's own
writer knew.

Metadata of the source (GPS position of a phone, author names) is not copied
into any output (``-map_metadata -1``).
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ffmpeg

from media_pipeline.conf import media_settings
from media_pipeline.ladder import THUMBNAIL_COUNT, LadderPlan, plan_ladder
from media_pipeline.measure import (
    MASTER,
    Rendition,
    check_complete,
    measure_variants,
    rewrite_master,
    segment_start_time,
)
from media_pipeline.probe import ALLOWED_DEMUXERS, ProbeResult
from media_pipeline.runner import progress_args, run_ffmpeg

logger = logging.getLogger(__name__)

DOWNLOAD = "download.mp4"
POSTER = "poster.jpg"
THUMBNAIL_DIR = "thumbs"
AUDIO_SAMPLE_RATE = 48000
# Share of the reported progress taken by the ladder pass; the derivatives take the rest.
LADDER_SHARE = 95.0


@dataclass
class TranscodeResult:
    out_dir: Path
    plan: LadderPlan
    renditions: list[Rendition] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every output file, relative, for upload

    @property
    def duration(self) -> float:
        return max((r.duration or 0) for r in self.renditions) if self.renditions else 0.0


def plan_for(probe: ProbeResult) -> LadderPlan:
    return plan_ladder(
        width=probe.width,
        height=probe.height,
        frame_rate=probe.frame_rate,
        has_video=probe.has_video,
        has_audio=probe.has_audio,
        audio_channels=probe.audio_channels,
        segment_seconds=media_settings().segment_seconds,
    )


def transcode(
    source: str | os.PathLike,
    probe: ProbeResult,
    out_dir: str | os.PathLike,
    *,
    plan: LadderPlan | None = None,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TranscodeResult:
    """Write every output for ``source`` into ``out_dir`` (which must exist and be empty).

    ``on_progress`` gets a percentage (0–100) as ffmpeg advances; ``should_stop``
    is polled to cancel. Raises ``TranscodeFailed`` / ``TranscodeCancelled``.
    """
    conf = media_settings()
    source, out = os.fspath(source), Path(out_dir)
    plan = plan or plan_for(probe)
    duration = max(probe.duration, 0.001)

    def ladder_progress(seconds: float) -> None:
        if on_progress is not None:
            on_progress(min(LADDER_SHARE, LADDER_SHARE * seconds / duration))

    if plan.has_video:
        (out / THUMBNAIL_DIR).mkdir(exist_ok=True)
    run_ffmpeg(
        ladder_command(source, probe, plan, out),
        on_progress=ladder_progress,
        should_stop=should_stop,
        stall_seconds=conf.ffmpeg_stall_seconds,
    )
    result = TranscodeResult(out_dir=out, plan=plan)
    variants = measure_variants(out, plan)
    check_complete(variants, probe.duration)
    rewrite_master(out, plan, variants)
    start = segment_start_time(out, variants[0])
    produced = max(v.duration for v in variants)
    result.renditions.append(Rendition("master_playlist", MASTER, duration=produced, start_time=start))
    result.renditions.extend(v.rendition for v in variants)

    if plan.has_video:
        run_ffmpeg(
            derivatives_command(probe, plan, out),
            should_stop=should_stop,
            stall_seconds=conf.ffmpeg_stall_seconds,
        )
        result.renditions.extend(collect_derivatives(out, plan, max(v.duration for v in variants)))
    if on_progress is not None:
        on_progress(100.0)
    result.files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return result


# --- Pass 1: the ladder ------------------------------------------------------


def _input(source: str, **kwargs):
    # Same guards as the probe: local files only, known containers only.
    return ffmpeg.input(source, protocol_whitelist="file", format_whitelist=",".join(ALLOWED_DEMUXERS), **kwargs)


def ladder_command(source: str, probe: ProbeResult, plan: LadderPlan, out: Path) -> list[str]:
    """The argv of the ladder pass (a pure function of its arguments, so it can be read in tests)."""
    conf = media_settings()
    inp = _input(source)
    n_video = len(plan.video_rungs)
    n_audio = (n_video + 1) if plan.has_audio else 0
    video_outs, audio_outs = [], []
    if n_video:
        video = inp[str(probe_index(probe, "video"))].filter("yadif", mode="send_frame", deint="interlaced")
        video = video.filter("fps", fps=str(plan.frame_rate))
        # One branch per rung, then one for the poster and one for the thumbnails.
        split = video.filter_multi_output("split", n_video + 2)
        branches = [split[i] for i in range(n_video + 2)]
        for branch, rung in zip(branches, plan.video_rungs, strict=False):
            video_outs.append(branch.filter("scale", rung.width, rung.height).filter("setsar", "1"))
    if n_audio:
        audio = inp[str(probe_index(probe, "audio"))].filter("aresample", AUDIO_SAMPLE_RATE, **{"async": 1})
        audio_outs = [audio.filter_multi_output("asplit", n_audio)[i] for i in range(n_audio)]

    streams, stream_map, options = [], [], {}
    for i, rung in enumerate(plan.video_rungs):
        streams.append(video_outs[i])
        entry = f"v:{i}"
        options.update({f"b:v:{i}": rung.video_bitrate, f"maxrate:v:{i}": rung.maxrate, f"bufsize:v:{i}": rung.bufsize})
        if plan.has_audio:
            streams.append(audio_outs[i])
            entry += f",a:{i}"
            options[f"b:a:{i}"] = rung.audio_bitrate
        stream_map.append(f"{entry},name:{rung.name}")
    if plan.audio_rung is not None:
        streams.append(audio_outs[n_audio - 1])
        stream_map.append(f"a:{n_audio - 1},name:{plan.audio_rung.name}")
        options[f"b:a:{n_audio - 1}"] = plan.audio_rung.bitrate

    if n_video:
        options.update(
            {
                "c:v": "libx264",
                "preset": conf.x264_preset,
                "profile:v": "main",
                "pix_fmt": "yuv420p",
                "g": plan.keyint,
                "keyint_min": plan.keyint,
                "sc_threshold": 0,
                "force_key_frames": plan.force_key_frames,
            }
        )
    if n_audio:
        options.update({"c:a": "aac", "ac": plan.audio_channels, "ar": AUDIO_SAMPLE_RATE})
    if conf.ffmpeg_threads:
        options["threads"] = conf.ffmpeg_threads
    output = ffmpeg.output(
        *streams,
        str(out / "%v" / "index.m3u8"),
        f="hls",
        hls_time=plan.segment_seconds,
        hls_playlist_type="vod",
        hls_flags="independent_segments",
        hls_segment_type="mpegts",
        hls_segment_filename=str(out / "%v" / "seg_%05d.ts"),
        master_pl_name=MASTER,
        var_stream_map=" ".join(stream_map),
        map_metadata=-1,
        map_chapters=-1,
        **options,
    )
    if n_video:
        output = ffmpeg.merge_outputs(
            output, *picture_outputs(probe, plan, out, branches[n_video], branches[n_video + 1])
        )
    return ffmpeg.compile(output.global_args(*progress_args()), cmd=conf.ffmpeg_binary, overwrite_output=True)


def picture_outputs(probe: ProbeResult, plan: LadderPlan, out: Path, poster_branch, thumbs_branch) -> list:
    """Poster and thumbnails taken from the ladder's own decoded frames (after ``fps``: frame n is at n / fps)."""
    fps = plan.frame_rate
    last = max(0, math.floor(probe.duration * fps) - 1)

    def frame(at: float) -> int:
        return min(last, int(at * fps))

    poster_w, poster_h = plan.poster_size or (probe.width, probe.height)
    thumb_w, thumb_h = plan.thumbnail_size or (probe.width, probe.height)
    poster = poster_branch.filter("select", f"eq(n,{frame(poster_time(probe.duration))})")
    poster = poster.filter("scale", poster_w, poster_h).filter("setsar", "1")
    frames = sorted({frame(at) for at in thumbnail_times(probe.duration)})
    thumbs = thumbs_branch.filter("select", "+".join(f"eq(n,{n})" for n in frames))
    thumbs = thumbs.filter("scale", thumb_w, thumb_h).filter("setsar", "1")
    jpeg = {"q:v": 3, "fps_mode": "passthrough", "map_metadata": -1}
    return [
        ffmpeg.output(poster, str(out / POSTER), vframes=1, **jpeg),
        ffmpeg.output(thumbs, str(out / THUMBNAIL_DIR / "thumb_%02d.jpg"), vframes=len(frames), **jpeg),
    ]


def probe_index(probe: ProbeResult, kind: str) -> int:
    index = probe.video_index if kind == "video" else probe.audio_index
    if index is None:
        raise ValueError(f"the source has no {kind} stream")
    return index


# --- Pass 2: download, poster, thumbnails ----------------------------------------


def poster_time(duration: float) -> float:
    return round(duration * 0.10, 3)


def thumbnail_times(duration: float, count: int = THUMBNAIL_COUNT) -> list[float]:
    return [round(duration * (i + 1) / (count + 1), 3) for i in range(count)]


def derivatives_command(probe: ProbeResult, plan: LadderPlan, out: Path) -> list[str]:
    """The MP4 download: the download rung's segments remuxed (no encoding)."""
    conf = media_settings()
    rung = plan.download_rung or plan.video_rungs[0]
    variant = ffmpeg.input(str(out / rung.name / "index.m3u8"), protocol_whitelist="file", f="hls")
    # Map the streams explicitly: without -map, ffmpeg would pick the "best" video of *all* inputs.
    streams = [variant["v"], variant["a"]] if plan.has_audio else [variant["v"]]
    extra = {"bsf:a": "aac_adtstoasc"} if plan.has_audio else {}
    output = ffmpeg.output(*streams, str(out / DOWNLOAD), c="copy", movflags="+faststart", map_metadata=-1, **extra)
    return ffmpeg.compile(output.global_args(*progress_args()), cmd=conf.ffmpeg_binary, overwrite_output=True)


def collect_derivatives(out: Path, plan: LadderPlan, duration: float) -> list[Rendition]:
    """Rows for the pass-2 files that exist (a frame past the end of a short video stream may be missing)."""
    found = []
    download = out / DOWNLOAD
    if plan.download_rung is not None and download.exists():
        rung = plan.download_rung
        bitrate = int(download.stat().st_size * 8 / max(duration, 0.001))
        found.append(Rendition("mp4_download", DOWNLOAD, rung.width, rung.height, bitrate=bitrate, name=rung.name))
    if (out / POSTER).exists():
        w, h = plan.poster_size or (None, None)
        found.append(Rendition("poster", POSTER, w, h))
    else:
        logger.warning("No poster frame could be taken for %s", out)
    thumb_w, thumb_h = plan.thumbnail_size or (None, None)
    for path in sorted((out / THUMBNAIL_DIR).glob("*.jpg")):
        found.append(Rendition("thumbnail", f"{THUMBNAIL_DIR}/{path.name}", thumb_w, thumb_h))
    return found
