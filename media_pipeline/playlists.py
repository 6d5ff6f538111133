"""Read and write the small subset of HLS (RFC 8216) the pipeline produces.

ffmpeg writes the master playlist, but not always with every attribute players
use to choose a rung before downloading anything (CODECS, for instance, is
missing for some encoder set-ups). The transcoder rewrites it from measured
facts with ``render_master``; these parsers are also what the player-side code
(and the tests) can use to inspect a generation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# An attribute list: NAME=value pairs, values possibly quoted (and quoted values may contain commas).
_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^",]*)')
# Attributes whose values are quoted strings in RFC 8216 (the others are bare).
_QUOTED = {
    "CODECS",
    "AUDIO",
    "VIDEO",
    "SUBTITLES",
    "CLOSED-CAPTIONS",
    "NAME",
    "LANGUAGE",
    "GROUP-ID",
    "URI",
    "CHARACTERISTICS",
}


class PlaylistError(ValueError):
    pass


def parse_attributes(text: str) -> dict[str, str]:
    """``BANDWIDTH=1,CODECS="a,b"`` → ``{"BANDWIDTH": "1", "CODECS": "a,b"}`` (quotes removed)."""
    return {name: value.strip('"') for name, value in _ATTRIBUTE.findall(text)}


def format_attributes(attributes: dict[str, str | int]) -> str:
    parts = []
    for name, value in attributes.items():
        text = str(value)
        parts.append(f'{name}="{text}"' if name in _QUOTED else f"{name}={text}")
    return ",".join(parts)


@dataclass
class Variant:
    uri: str
    attributes: dict[str, str]

    @property
    def bandwidth(self) -> int:
        return int(self.attributes.get("BANDWIDTH", "0"))

    @property
    def resolution(self) -> tuple[int, int] | None:
        value = self.attributes.get("RESOLUTION")
        if not value:
            return None
        w, _x, h = value.partition("x")
        return int(w), int(h)

    @property
    def codecs(self) -> list[str]:
        value = self.attributes.get("CODECS", "")
        return [c.strip() for c in value.split(",") if c.strip()]


@dataclass
class MasterPlaylist:
    variants: list[Variant]
    version: int | None = None
    independent_segments: bool = False
    media: list[dict[str, str]] = field(default_factory=list)  # EXT-X-MEDIA renditions (subtitles)


@dataclass
class Segment:
    uri: str
    duration: float


@dataclass
class MediaPlaylist:
    target_duration: int
    segments: list[Segment] = field(default_factory=list)
    version: int | None = None
    playlist_type: str | None = None
    media_sequence: int = 0
    ended: bool = False
    independent_segments: bool = False

    @property
    def duration(self) -> float:
        return sum(s.duration for s in self.segments)


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    if not lines or lines[0] != "#EXTM3U":
        raise PlaylistError("not an M3U8 playlist (no #EXTM3U header)")
    return lines


def parse_master(text: str) -> MasterPlaylist:
    master = MasterPlaylist(variants=[])
    pending: dict[str, str] | None = None
    for line in _lines(text)[1:]:
        if not line:
            continue
        if line.startswith("#EXT-X-VERSION:"):
            master.version = int(line.split(":", 1)[1])
        elif line == "#EXT-X-INDEPENDENT-SEGMENTS":
            master.independent_segments = True
        elif line.startswith("#EXT-X-STREAM-INF:"):
            pending = parse_attributes(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-MEDIA:"):
            master.media.append(parse_attributes(line.split(":", 1)[1]))
        elif line.startswith("#"):
            continue
        else:
            if pending is None:
                raise PlaylistError(f"URI {line!r} without #EXT-X-STREAM-INF")
            master.variants.append(Variant(uri=line, attributes=pending))
            pending = None
    if not master.variants:
        raise PlaylistError("master playlist without variants")
    return master


def render_master(master: MasterPlaylist) -> str:
    lines = ["#EXTM3U"]
    if master.version:
        lines.append(f"#EXT-X-VERSION:{master.version}")
    if master.independent_segments:
        lines.append("#EXT-X-INDEPENDENT-SEGMENTS")
    for media in master.media:
        lines.append(f"#EXT-X-MEDIA:{format_attributes(media)}")
    for variant in master.variants:
        lines.append(f"#EXT-X-STREAM-INF:{format_attributes(variant.attributes)}")
        lines.append(variant.uri)
    return "\n".join(lines) + "\n"


def parse_media(text: str) -> MediaPlaylist:
    target = None
    playlist = MediaPlaylist(target_duration=0)
    duration: float | None = None
    for line in _lines(text)[1:]:
        if not line:
            continue
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = int(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-VERSION:"):
            playlist.version = int(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-MEDIA-SEQUENCE:"):
            playlist.media_sequence = int(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-PLAYLIST-TYPE:"):
            playlist.playlist_type = line.split(":", 1)[1]
        elif line == "#EXT-X-ENDLIST":
            playlist.ended = True
        elif line == "#EXT-X-INDEPENDENT-SEGMENTS":
            playlist.independent_segments = True
        elif line.startswith("#EXTINF:"):
            duration = float(line.split(":", 1)[1].split(",", 1)[0])
        elif line.startswith("#"):
            continue
        else:
            if duration is None:
                raise PlaylistError(f"segment {line!r} without #EXTINF")
            playlist.segments.append(Segment(uri=line, duration=duration))
            duration = None
    if target is None:
        raise PlaylistError("media playlist without #EXT-X-TARGETDURATION")
    playlist.target_duration = target
    return playlist
