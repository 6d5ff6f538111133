"""Real ffmpeg on each shape a lecture comes in; outputs checked with ffprobe and a playlist parser."""

from __future__ import annotations

import pytest

from media_pipeline.errors import TranscodeCancelled, TranscodeFailed
from media_pipeline.ladder import RUNGS
from media_pipeline.probe import probe_file
from media_pipeline.runner import run_ffmpeg
from media_pipeline.transcode import ladder_command, plan_for, transcode
from tests.media_pipeline.media_checks import check_hls_tree, ffprobe

NOMINAL = {f"{side}p": video + audio for side, video, audio in RUNGS}


def run(clip, out):
    probe = probe_file(clip)
    reported: list[float] = []
    result = transcode(clip, probe, out, on_progress=reported.append)
    assert reported == sorted(reported) and reported[-1] == 100
    return probe, result


def check_bitrates(found, *, audio: bool):
    for uri, (variant, _media) in found.items():
        name = uri.split("/")[0]
        if name == "audio":
            continue
        nominal = NOMINAL[name] - (0 if audio else {"720p": 128_000, "480p": 96_000}.get(name, 64_000))
        average = int(variant.attrs["AVERAGE-BANDWIDTH"])
        # Within bounds: no rung blows its budget (ultrafast, MPEG-TS overhead included), none starves.
        assert 0.3 * nominal <= average <= 1.6 * nominal, (name, average, nominal)
        assert variant.bandwidth <= 2.0 * nominal, (name, variant.bandwidth, nominal)


def check_pictures(out, result, poster_size):
    kinds = [r.kind for r in result.renditions]
    assert kinds.count("poster") == 1 and kinds.count("thumbnail") == 5
    poster = ffprobe(out / "poster.jpg")["streams"][0]
    assert (poster["codec_name"], poster["width"], poster["height"]) == ("mjpeg", *poster_size)


def check_download(out, size, duration, *, audio=True):
    data = (out / "download.mp4").read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat"), "+faststart: the index comes first"
    info = ffprobe(out / "download.mp4")
    streams = {s["codec_type"]: s for s in info["streams"]}
    assert (streams["video"]["width"], streams["video"]["height"]) == size
    assert ("audio" in streams) == audio
    assert float(info["format"]["duration"]) == pytest.approx(duration, abs=0.1)
    assert "tags" not in info["format"] or "location" not in str(info["format"]["tags"]).lower()


def test_landscape_720p(make_clip, tmp_path):
    probe, result = run(make_clip("landscape_720p"), tmp_path)
    rungs = [(426, 240), (640, 360), (854, 480), (1280, 720)]
    found = check_hls_tree(tmp_path, duration=probe.duration, expect_rungs=rungs, audio=True)
    check_bitrates(found, audio=True)
    check_download(tmp_path, (640, 360), probe.duration)
    check_pictures(tmp_path, result, (1280, 720))
    assert [r.name for r in result.renditions if r.kind == "hls_variant"] == ["240p", "360p", "480p", "720p"]


def test_portrait_phone_video_stays_upright(make_clip, tmp_path):
    probe, result = run(make_clip("portrait_phone"), tmp_path)
    found = check_hls_tree(tmp_path, duration=probe.duration, expect_rungs=[(240, 426), (360, 640)], audio=True)
    check_bitrates(found, audio=True)
    check_download(tmp_path, (360, 640), probe.duration)
    check_pictures(tmp_path, result, (360, 640))
    for stream in ffprobe(tmp_path / "360p" / "seg_00000.ts")["streams"]:
        assert not stream.get("side_data_list"), "rotation applied to the pixels, not left as a flag"


def test_low_resolution_4_3(make_clip, tmp_path):
    probe, result = run(make_clip("low_4_3"), tmp_path)
    found = check_hls_tree(tmp_path, duration=probe.duration, expect_rungs=[(320, 240)], audio=True)
    check_bitrates(found, audio=True)
    check_download(tmp_path, (320, 240), probe.duration)
    check_pictures(tmp_path, result, (320, 240))


def test_audio_only_lecture_gets_just_the_audio_rung(make_clip, tmp_path):
    probe, result = run(make_clip("audio_only"), tmp_path)
    check_hls_tree(tmp_path, duration=probe.duration, expect_rungs=[], audio=True)
    assert [r.kind for r in result.renditions] == ["master_playlist", "audio_only"]
    assert not (tmp_path / "download.mp4").exists() and not (tmp_path / "poster.jpg").exists()


def test_video_without_sound(make_clip, tmp_path):
    probe, result = run(make_clip("no_audio"), tmp_path)
    found = check_hls_tree(tmp_path, duration=probe.duration, expect_rungs=[(426, 240)], audio=False)
    check_bitrates(found, audio=False)
    check_download(tmp_path, (426, 240), probe.duration, audio=False)
    assert "audio_only" not in [r.kind for r in result.renditions]


def test_truncated_but_readable_file_fails_instead_of_making_half_a_lecture(make_clip, tmp_path):
    source = make_clip("tiny_faststart")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(source.read_bytes()[: int(source.stat().st_size * 0.5)])
    probe = probe_file(cut)  # the index is whole, so the probe believes the full length
    assert probe.duration == pytest.approx(5, abs=0.1)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TranscodeFailed) as info:
        transcode(cut, probe, out)
    assert info.value.code == "truncated" and info.value.permanent


def test_cancel_terminates_ffmpeg(make_clip, tmp_path):
    clip = make_clip("landscape_720p")
    seen = []
    with pytest.raises(TranscodeCancelled):
        transcode(clip, probe_file(clip), tmp_path, on_progress=seen.append, should_stop=lambda: bool(seen))
    assert not (tmp_path / "master.m3u8").exists() or seen[-1] < 100


def test_the_ladder_is_one_ffmpeg_run_decoding_once(make_clip, tmp_path):
    clip = make_clip("landscape_720p")
    probe = probe_file(clip)
    args = ladder_command(str(clip), probe, plan_for(probe), tmp_path)
    assert args.count("-i") == 1
    graph = args[args.index("-filter_complex") + 1]
    assert "split=6" in graph and "asplit=5" in graph  # 4 rungs + poster + thumbnails; 4 + audio rung
    for flag in ("-var_stream_map", "-master_pl_name", "-hls_segment_filename", "-force_key_frames"):
        assert flag in args
    assert args[args.index("-hls_playlist_type") + 1] == "vod"
    assert args[args.index("-sc_threshold") + 1] == "0"
    assert args[args.index("-protocol_whitelist") + 1] == "file"


# --- The runner on its own ----------------------------------------------------------------


def test_a_stalled_process_is_killed():
    with pytest.raises(TranscodeFailed) as info:
        run_ffmpeg(["sleep", "30"], stall_seconds=1)
    assert info.value.code == "ffmpeg_stalled" and not info.value.permanent


def test_exit_status_decides_permanent_or_transient():
    with pytest.raises(TranscodeFailed) as info:
        run_ffmpeg(["sh", "-c", "echo 'Invalid data found' >&2; exit 1"])
    assert info.value.permanent and "Invalid data found" in info.value.detail
    with pytest.raises(TranscodeFailed) as info:
        run_ffmpeg(["sh", "-c", "kill -9 $$"])
    assert info.value.code == "ffmpeg_crashed" and not info.value.permanent
