"""``manage.py transcode_video``: probe + transcode a local file, progress on stderr, outputs listed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.media_pipeline import hls


def test_transcode_video_command(make_clip, tmp_path):
    out, err = StringIO(), StringIO()
    call_command("transcode_video", str(make_clip("low_4_3")), "--out", str(tmp_path / "out"), stdout=out, stderr=err)
    assert "Ladder: 240p 320x240" in err.getvalue()
    assert "100%" in err.getvalue()
    assert f"Outputs: {tmp_path / 'out'}" in out.getvalue()
    assert "master_playlist" in out.getvalue() and "mp4_download" in out.getvalue()
    variants = hls.master((tmp_path / "out" / "master.m3u8").read_text())
    assert [v.resolution for v in variants] == [(320, 240), None]


def test_transcode_video_command_explains_a_rejection(tmp_path):
    bad = tmp_path / "bai-giang.mp4"
    bad.write_text("not a video")
    with pytest.raises(CommandError, match=r"Rejected \(not_media\): This file is not a video"):
        call_command("transcode_video", str(bad), "--out", str(tmp_path / "out"))
