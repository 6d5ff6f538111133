"""Checks of produced outputs with ffprobe and the test playlist parser, shared by the test modules."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.media_pipeline import hls


def ffprobe(path: Path, *extra: str) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", *extra, str(path)],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def first_video_packet_is_key(segment: Path) -> bool:
    out = subprocess.run(
        [
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
            "-show_entries", "packet=flags", "-of", "csv=p=0", str(segment),
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return out.strip().startswith("K")


def check_hls_tree(root: Path, *, duration: float, expect_rungs: list[tuple[int, int]], audio: bool) -> dict:
    """Check a generation on disk (master, media playlists, segments); returns {uri: (StreamInf, Media)}."""
    variants = hls.master((root / "master.m3u8").read_text())
    video = [v for v in variants if v.resolution is not None]
    audio_only = [v for v in variants if v.resolution is None]
    assert [v.resolution for v in video] == expect_rungs
    assert [v.bandwidth for v in video] == sorted(v.bandwidth for v in video), "lowest rung first"
    assert variants[: len(video)] == video, "audio-only variant comes after the video ones"
    found = {}
    segment_plan = None
    for variant in variants:
        assert variant.bandwidth > 0
        assert int(variant.attrs["AVERAGE-BANDWIDTH"]) <= variant.bandwidth
        media = hls.media((root / variant.uri).read_text())
        assert 4 <= media.target_duration <= 6
        assert "#EXT-X-ENDLIST" in media.tags and "#EXT-X-PLAYLIST-TYPE" in media.tags
        assert media.duration == pytest.approx(duration, abs=0.1)
        segments = [(root / variant.uri).parent / uri for uri in media.uris]
        assert all(s.exists() for s in segments)
        first = ffprobe(segments[0])
        kinds = {s["codec_type"]: s for s in first["streams"]}
        if variant.resolution is None:
            assert variant.codecs == ["mp4a.40.2"]
            assert set(kinds) == {"audio"}
            assert variant.bandwidth <= 64_000, "the audio-only rung, packaging included"
        else:
            assert (kinds["video"]["width"], kinds["video"]["height"]) == variant.resolution
            assert variant.codecs[0].startswith("avc1.")
            profile = {"Main": "4d", "Constrained Baseline": "42", "High": "64"}[kinds["video"]["profile"]]
            assert variant.codecs[0][5:7] == profile
            assert int(variant.codecs[0][-2:], 16) == kinds["video"]["level"]
            assert variant.codecs[1:] == (["mp4a.40.2"] if audio else [])
            assert ("audio" in kinds) == audio
            # GOP alignment: every rung cuts at the same instants, each segment opens on a key frame.
            cuts = [round(d, 2) for d in media.durations]
            assert segment_plan in (None, cuts)
            segment_plan = cuts
            assert all(first_video_packet_is_key(s) for s in segments)
        found[variant.uri] = (variant, media)
    assert bool(audio_only) == audio
    return found
