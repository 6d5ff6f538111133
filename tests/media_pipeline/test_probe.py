"""Probing real files: what is accepted, and a clear code and message for what is not."""

import pytest
from django.utils import translation

from media_pipeline.errors import ProbeRejected
from media_pipeline.probe import interpret, probe_file
from tests.media_pipeline import clips


def rejected(path, **kwargs) -> ProbeRejected:
    with pytest.raises(ProbeRejected) as info:
        probe_file(path, **kwargs)
    return info.value


def test_landscape_video_with_sound(make_clip):
    p = probe_file(make_clip("landscape_720p"))
    assert (p.width, p.height, p.has_video, p.has_audio) == (1280, 720, True, True)
    assert p.duration == pytest.approx(4.5, abs=0.1)
    assert p.frame_rate == 25
    assert p.codecs == "h264,aac"
    assert "mp4" in p.container


def test_phone_video_with_rotation_flag_is_portrait(make_clip):
    p = probe_file(make_clip("portrait_phone"))
    assert p.rotation in (90, 270)
    assert (p.width, p.height) == (360, 640)


def test_plain_portrait_video(make_clip):
    p = probe_file(make_clip("portrait_plain"))
    assert (p.width, p.height, p.rotation) == (360, 640, 0)


def test_audio_only_is_accepted_as_an_audio_lecture(make_clip):
    p = probe_file(make_clip("audio_only"))
    assert p.is_audio_only and p.width is None
    assert p.duration == pytest.approx(5, abs=0.1)


def test_video_without_sound(make_clip):
    p = probe_file(make_clip("no_audio"))
    assert p.has_video and not p.has_audio and p.audio_index is None


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert rejected(path).code == "empty_file"


def test_text_file_renamed_mp4_is_not_media(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("Bài 1: Phương trình bậc nhất\n" * 20, encoding="utf-8")
    error = rejected(path)
    assert error.code == "not_media"
    with translation.override("vi"):
        assert "không phải" in error.render()
    with translation.override("en"):
        assert error.render() == "This file is not a video or audio file that can be read."


def test_truncated_mp4_is_corrupt(make_clip, tmp_path):
    path = clips.truncated_copy(make_clip("landscape_720p"), tmp_path / "cut.mp4", 0.5)
    assert rejected(path).code == "corrupt_file"


def test_image_is_not_a_lecture(tmp_path):
    path = tmp_path / "slide.png"
    clips.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", str(path))
    assert rejected(path).code == "unsupported_format"


def test_playlist_upload_cannot_make_ffmpeg_read_other_files(tmp_path):
    path = tmp_path / "lecture.mp4"
    path.write_text("#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n")
    assert rejected(path).code in {"unsupported_format", "not_media"}


def test_oversized_file_is_refused_before_probing(settings, make_clip):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    error = rejected(make_clip("tiny"))
    assert error.code == "file_too_large"
    assert error.params["limit_mb"] == 1


def test_too_long_video(settings, make_clip):
    settings.MEDIA_MAX_DURATION_SECONDS = 1
    error = rejected(make_clip("tiny"))
    assert error.code == "too_long"
    with translation.override("en"):
        assert error.render() == "The video lasts 0:02; the limit is 0:01."


def test_default_limits_are_three_hours_and_two_gib(make_clip):
    from media_pipeline.conf import media_settings

    conf = media_settings()
    assert conf.max_duration_seconds == 3 * 3600
    assert conf.max_upload_bytes == 2 * 1024**3


# --- interpret(): the decisions on ffprobe's JSON -------------------------------------


def probe_json(streams, duration="10.0", fmt="mov,mp4,m4a,3gp,3g2,mj2"):
    return {"format": {"format_name": fmt, "duration": duration}, "streams": streams}


VIDEO = {
    "index": 0,
    "codec_type": "video",
    "codec_name": "h264",
    "width": 1280,
    "height": 720,
    "avg_frame_rate": "25/1",
}
AUDIO = {"index": 1, "codec_type": "audio", "codec_name": "aac", "channels": 2}
LIMITS = {"size": 1000, "max_duration": 3 * 3600, "max_pixels": 4096 * 2304}


def test_cover_art_does_not_make_an_mp3_a_video():
    cover = {"index": 1, "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600}
    cover["disposition"] = {"attached_pic": 1}
    p = interpret(probe_json([{**AUDIO, "index": 0}, cover], fmt="mp3"), **LIMITS)
    assert p.is_audio_only


def test_huge_frames_are_refused():
    with pytest.raises(ProbeRejected) as info:
        interpret(probe_json([{**VIDEO, "width": 8192, "height": 4320}, AUDIO]), **LIMITS)
    assert info.value.code == "resolution_too_high"


def test_missing_duration_is_refused():
    with pytest.raises(ProbeRejected) as info:
        interpret(probe_json([VIDEO, AUDIO], duration=None), **LIMITS)
    assert info.value.code == "no_duration"


def test_no_streams_at_all():
    with pytest.raises(ProbeRejected) as info:
        interpret(probe_json([{"index": 0, "codec_type": "data"}]), **LIMITS)
    assert info.value.code == "no_streams"


def test_anamorphic_pixels_are_displayed_square():
    dv = {**VIDEO, "width": 720, "height": 576, "sample_aspect_ratio": "64:45"}
    p = interpret(probe_json([dv, AUDIO]), **LIMITS)
    assert (p.width, p.height) == (1024, 576)


def test_rotation_from_side_data_swaps_the_displayed_size():
    rotated = {**VIDEO, "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}
    p = interpret(probe_json([rotated, AUDIO]), **LIMITS)
    assert (p.width, p.height, p.rotation) == (720, 1280, 270)
