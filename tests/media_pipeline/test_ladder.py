"""The ladder plan is a pure function: rungs, sizes, bitrates and GOPs for each source shape."""

from fractions import Fraction

import pytest

from media_pipeline.ladder import AUDIO_ONLY_BITRATE, plan_ladder, target_frame_rate


def plan(width, height, fps=30.0, audio=True, **kwargs):
    return plan_ladder(width=width, height=height, frame_rate=fps, has_video=True, has_audio=audio, **kwargs)


def sizes(p):
    return [(r.name, r.width, r.height) for r in p.video_rungs]


def test_full_hd_gets_four_rungs_lowest_first_never_1080p():
    assert sizes(plan(1920, 1080)) == [
        ("240p", 426, 240),
        ("360p", 640, 360),
        ("480p", 854, 480),
        ("720p", 1280, 720),
    ]


def test_rungs_never_exceed_the_source():
    assert sizes(plan(1280, 720))[-1] == ("720p", 1280, 720)
    assert sizes(plan(854, 480))[-1] == ("480p", 854, 480)
    assert sizes(plan(700, 400)) == [("240p", 420, 240), ("360p", 630, 360)]


def test_portrait_phone_video_is_laddered_by_its_short_side():
    assert sizes(plan(360, 640)) == [("240p", 240, 426), ("360p", 360, 640)]
    assert sizes(plan(1080, 1920))[-1] == ("720p", 720, 1280)


def test_low_resolution_4_3_keeps_its_aspect_ratio():
    p = plan(320, 240)
    assert sizes(p) == [("240p", 320, 240)]
    # Fewer pixels than a 16:9 240p frame, so a proportionally lower bitrate.
    assert 150_000 <= p.video_rungs[0].video_bitrate < 250_000


def test_source_smaller_than_the_lowest_rung_gets_one_rung_at_its_own_even_size():
    p = plan(177, 145)
    assert sizes(p) == [("144p", 176, 144)]
    assert p.video_rungs[0].video_bitrate >= 100_000


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080), (360, 640), (1000, 750), (2560, 1080)])
def test_dimensions_are_even_and_keep_the_aspect_ratio(width, height):
    for rung in plan(width, height).video_rungs:
        assert rung.width % 2 == 0 and rung.height % 2 == 0
        assert abs(rung.width / rung.height - width / height) < 0.02


def test_bitrates_are_3g_friendly_and_peaks_capped():
    rates = {r.name: (r.video_bitrate, r.audio_bitrate) for r in plan(1920, 1080).video_rungs}
    assert rates == {
        "240p": (250_000, 64_000),
        "360p": (500_000, 64_000),
        "480p": (900_000, 96_000),
        "720p": (1_800_000, 128_000),
    }
    for rung in plan(1920, 1080).video_rungs:
        assert rung.maxrate == round(rung.video_bitrate * 1.1)


def test_audio_only_rung_is_at_most_64_kbit():
    p = plan(1280, 720)
    assert p.audio_rung is not None and p.audio_rung.bitrate == AUDIO_ONLY_BITRATE <= 64_000


def test_audio_only_source_gets_only_the_audio_rung():
    p = plan_ladder(width=None, height=None, frame_rate=None, has_video=False, has_audio=True, audio_channels=1)
    assert p.video_rungs == () and p.audio_rung is not None
    assert p.download_rung is None and p.keyint is None
    assert p.audio_channels == 1


def test_video_without_sound_has_no_audio_rung_or_audio_per_rung():
    p = plan(640, 360, audio=False)
    assert p.audio_rung is None
    assert all(r.audio_bitrate is None for r in p.video_rungs)


@pytest.mark.parametrize(("fps", "segment", "keyint"), [(30, 4, 120), (25, 4, 100), (25, 6, 150), (60, 4, 120)])
def test_gop_is_one_segment_long_and_key_frames_are_forced_on_boundaries(fps, segment, keyint):
    p = plan(1280, 720, fps=fps, segment_seconds=segment)
    assert p.keyint == keyint
    assert p.force_key_frames == f"expr:gte(t,n_forced*{segment})"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (30, Fraction(30)),
        (29.97, Fraction(30000, 1001)),
        (29.87, Fraction(30000, 1001)),
        (60, Fraction(30)),
        (59.94, Fraction(30000, 1001)),
        (50, Fraction(25)),
        (120, Fraction(30)),
        (12.5, Fraction(25, 2)),
        (2, Fraction(5)),
        (None, Fraction(25)),
    ],
)
def test_frame_rate_is_capped_at_30_and_snapped_to_standard_rates(source, expected):
    assert target_frame_rate(source) == expected


def test_download_is_the_360p_rung_or_the_best_below_it():
    assert plan(1920, 1080).download_rung.name == "360p"
    assert plan(320, 240).download_rung.name == "240p"


def test_thumbnails_fit_a_320_box():
    assert plan(1280, 720).thumbnail_size == (320, 180)
    assert plan(360, 640).thumbnail_size == (180, 320)
    assert plan(160, 120).thumbnail_size == (160, 120)


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        plan_ladder(width=1, height=1, frame_rate=25, has_video=False, has_audio=False)
    with pytest.raises(ValueError):
        plan(1280, 720, segment_seconds=0)
