"""Measure the produced variants and write the master playlist from the facts.

ffmpeg's own master playlist says what was *asked* (and not always CODECS);
players choose a rung from these attributes before downloading anything, so
they are rewritten from what was *produced*: BANDWIDTH is the peak segment
bitrate and AVERAGE-BANDWIDTH the mean (from segment sizes, MPEG-TS overhead
included), CODECS comes from the H.264 sequence parameter set and the AAC
profile of the first segment, RESOLUTION from the encoded stream. Video
variants are listed lowest first (a player starts on the first one: slow links
start fast); the audio-only variant comes last, ``CODECS="mp4a.40.2"`` and no
RESOLUTION.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from media_pipeline.conf import media_settings
from media_pipeline.errors import MESSAGES, TranscodeFailed, format_duration
from media_pipeline.ladder import LadderPlan
from media_pipeline.playlists import MasterPlaylist, Variant, parse_master, parse_media, render_master

MASTER = "master.m3u8"


@dataclass(frozen=True)
class Rendition:
    """An output worth a database row (segments are not: they are found through their playlists)."""

    kind: str
    path: str  # relative to the output directory, with "/" separators
    width: int | None = None
    height: int | None = None
    bitrate: int | None = None
    average_bitrate: int | None = None
    codecs: str = ""
    duration: float | None = None
    name: str = ""
    start_time: float | None = None


@dataclass
class MeasuredVariant:
    name: str
    playlist: str  # relative path of its media playlist
    duration: float
    peak_bitrate: int
    average_bitrate: int
    codecs: str
    width: int | None
    height: int | None
    is_audio_only: bool

    @property
    def rendition(self) -> Rendition:
        return Rendition(
            kind="audio_only" if self.is_audio_only else "hls_variant",
            path=self.playlist,
            width=self.width,
            height=self.height,
            bitrate=self.peak_bitrate,
            average_bitrate=self.average_bitrate,
            codecs=self.codecs,
            duration=self.duration,
            name=self.name,
        )


def measure_variants(out: Path, plan: LadderPlan) -> list[MeasuredVariant]:
    """Measure each variant from its files: bitrates from segment sizes, codecs from the stream itself."""
    names = [r.name for r in plan.video_rungs] + ([plan.audio_rung.name] if plan.audio_rung else [])
    measured = []
    for name in names:
        playlist_path = out / name / "index.m3u8"
        media = parse_media(playlist_path.read_text(encoding="utf-8"))
        if not media.segments:
            raise TranscodeFailed("ffmpeg_failed", MESSAGES["ffmpeg_failed"], detail=f"{name}: no segments")
        rates, total_bits = [], 0
        for segment in media.segments:
            bits = (playlist_path.parent / segment.uri).stat().st_size * 8
            total_bits += bits
            # A last segment of a fraction of a second would show an absurd rate; count it over a second.
            rates.append(bits / max(segment.duration, 1.0))
        duration = media.duration
        average = total_bits / duration
        peak = max([*rates, average])
        codecs, width, height = stream_facts(playlist_path.parent / media.segments[0].uri)
        measured.append(
            MeasuredVariant(
                name=name,
                playlist=f"{name}/index.m3u8",
                duration=duration,
                peak_bitrate=int(peak),
                average_bitrate=int(average),
                codecs=codecs,
                width=width,
                height=height,
                is_audio_only=plan.audio_rung is not None and name == plan.audio_rung.name,
            )
        )
    return measured


def check_complete(variants: list[MeasuredVariant], expected: float) -> None:
    """A damaged file can "succeed" with half its length; call that a failure, not a lecture."""
    produced = max(v.duration for v in variants)
    if produced < expected * 0.9 - 0.5:
        raise TranscodeFailed(
            "truncated",
            MESSAGES["truncated"],
            {"done": format_duration(produced), "total": format_duration(expected)},
            permanent=True,
        )


def rewrite_master(out: Path, plan: LadderPlan, variants: list[MeasuredVariant]) -> MasterPlaylist:
    written = parse_master((out / MASTER).read_text(encoding="utf-8"))
    version = written.version or 3
    ordered = sorted((v for v in variants if not v.is_audio_only), key=lambda v: v.peak_bitrate)
    ordered += [v for v in variants if v.is_audio_only]
    master = MasterPlaylist(variants=[], version=version, independent_segments=plan.has_video)
    for v in ordered:
        attributes: dict[str, str | int] = {
            "BANDWIDTH": v.peak_bitrate,
            "AVERAGE-BANDWIDTH": v.average_bitrate,
            "CODECS": v.codecs,
        }
        if not v.is_audio_only and v.width and v.height:
            attributes["RESOLUTION"] = f"{v.width}x{v.height}"
            if plan.frame_rate:
                attributes["FRAME-RATE"] = f"{float(plan.frame_rate):.3f}"
        master.variants.append(Variant(uri=v.playlist, attributes={k: str(val) for k, val in attributes.items()}))
    (out / MASTER).write_text(render_master(master), encoding="utf-8")
    return master


def segment_start_time(out: Path, variant: MeasuredVariant) -> float | None:
    """When the variant's first segment starts, in seconds of MPEG-TS time (ffmpeg's HLS muxer starts near 1.4 s).

    Captions served as an HLS subtitle rendition map their cue times to this
    instant (``X-TIMESTAMP-MAP``), as RFC 8216 asks for MPEG-TS media.
    """
    playlist_path = out / variant.playlist
    media = parse_media(playlist_path.read_text(encoding="utf-8"))
    if not media.segments:
        return None
    conf = media_settings()
    data = ffmpeg.probe(str(playlist_path.parent / media.segments[0].uri), cmd=conf.ffprobe_binary, v="error")
    try:
        return float(data["format"]["start_time"])
    except (KeyError, TypeError, ValueError):
        return None


_HEX_LINE = re.compile(r"^[0-9a-f]{8}:((?: [0-9a-f]{2,4})+)", re.MULTILINE)


def stream_facts(segment: Path) -> tuple[str, int | None, int | None]:
    """(CODECS, width, height) of a produced segment, read back with ffprobe."""
    conf = media_settings()
    data = ffmpeg.probe(str(segment), cmd=conf.ffprobe_binary, v="error", show_data=None)
    codecs, width, height = [], None, None
    for stream in data.get("streams", []):
        if stream.get("codec_type") == "video" and stream.get("codec_name") == "h264":
            codecs.append(avc1_codec(stream))
            width, height = stream.get("width"), stream.get("height")
        elif stream.get("codec_type") == "audio" and stream.get("codec_name") == "aac":
            codecs.append({"HE-AAC": "mp4a.40.5", "HE-AACv2": "mp4a.40.29"}.get(stream.get("profile"), "mp4a.40.2"))
    return ",".join(codecs), width, height


def avc1_codec(stream: dict) -> str:
    """RFC 6381 ``avc1.PPCCLL`` from the sequence parameter set in the stream's extradata.

    Read from the SPS itself (profile_idc, constraint flags, level_idc) rather than
    guessed from the requested profile: x264 presets may lower the profile.
    """
    sps = _find_sps(_extradata_bytes(stream.get("extradata", "")))
    if sps is not None:
        return "avc1." + sps.hex()
    profiles = {"Constrained Baseline": "42c0", "Baseline": "4200", "Main": "4d40", "High": "6400"}
    prefix = profiles.get(stream.get("profile", ""), "4d40")
    return f"avc1.{prefix}{int(stream.get('level') or 30):02x}"


def _extradata_bytes(dump: str) -> bytes:
    """ffprobe prints extradata as a hex dump ("00000000: 0000 0167 ..."); turn it back into bytes."""
    hex_text = "".join(match.group(1).replace(" ", "") for match in _HEX_LINE.finditer(dump))
    try:
        return bytes.fromhex(hex_text)
    except ValueError:
        return b""


def _find_sps(data: bytes) -> bytes | None:
    """The three bytes after an SPS NAL header (type 7) in Annex B or avcC extradata."""
    if data[:1] == b"\x01" and len(data) >= 4:  # avcC: profile, compatibility, level at bytes 1..3
        return data[1:4]
    index = 0
    while True:
        index = data.find(b"\x00\x00\x01", index)
        if index < 0 or index + 6 > len(data):
            return None
        if data[index + 3] & 0x1F == 7:
            return data[index + 4 : index + 7]
        index += 3
