"""SRT → WebVTT in Python, and WebVTT uploads checked."""

import pytest

from media_pipeline.captions import CaptionError, to_webvtt

SRT = """1
00:00:01,000 --> 00:00:03,500
Xin chào các em!

2
00:00:04,000 --> 00:00:06,250
<i>Hôm nay</i> chúng ta học <font color="red">phân số</font> & số thập phân
a < b

"""


def test_srt_becomes_webvtt():
    vtt = to_webvtt(SRT.encode("utf-8"))
    assert vtt == (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:03.500\nXin chào các em!\n\n"
        "00:00:04.000 --> 00:00:06.250\n<i>Hôm nay</i> chúng ta học phân số &amp; số thập phân\na &lt; b\n"
    )


def test_windows_line_endings_bom_and_decomposed_vietnamese_are_normalised():
    decomposed = "Tie\u0302\u0301ng Vie\u0323\u0302t"  # "Tiếng Việt" typed with combining marks
    data = f"\ufeff1\r\n00:00:00,5 --> 00:00:02,000\r\n{decomposed}\r\n".encode()
    vtt = to_webvtt(data)
    assert "00:00:00.500 --> 00:00:02.000" in vtt
    assert "Tiếng Việt" in vtt


def test_utf16_with_bom_is_read():
    assert "Xin chào" in to_webvtt(SRT.encode("utf-16"))


def test_short_timestamps_without_hours():
    assert "00:01:02.500 --> 00:01:04.000" in to_webvtt(b"01:02,500 --> 01:04,000\nHi\n")


def test_webvtt_upload_passes_through():
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMột\n"
    assert to_webvtt(vtt.encode()) == vtt


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"1\n00:00:01,000 --> 00:00:02,000\nB\xe0i gi\xe3ng\n", "caption_encoding"),  # Windows-1258
        (b"just some text\nwithout timing\n", "caption_syntax"),
        (b"1\n00:00:05,000 --> 00:00:01,000\nbackwards\n", "caption_timing"),
        (b"   \n\n", "caption_empty"),
        (b"WEBVTT\n\nno cues here\n", "caption_empty"),
    ],
)
def test_bad_caption_files(data, code):
    with pytest.raises(CaptionError) as info:
        to_webvtt(data)
    assert info.value.code == code
