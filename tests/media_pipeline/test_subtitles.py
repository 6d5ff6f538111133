"""Captions as an HLS subtitle rendition: the master playlist follows the captions, checked with a playlist parser."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media_pipeline import services
from media_pipeline.subtitles import with_timestamp_map
from tests.media_pipeline.helpers import uploaded
from tests.media_pipeline.hls import master as parse_master
from tests.media_pipeline.hls import media as parse_media

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media_pipeline.urls")]

SRT = "1\n00:00:00,500 --> 00:00:01,500\nXin chào các em\n"


@pytest.fixture
def teacher(django_user_model):
    return django_user_model.objects.create_user(username="gv-phude", password="x" * 12, full_name="Lê Thị Hoa")


def transcoded(make_clip, teacher, capture, clip="tiny"):
    upload = uploaded(make_clip(clip), temporary=True)
    with capture(execute=True):
        video = services.create_video_from_upload(owner=teacher, title="Phụ đề", uploaded_file=upload)
    upload.close()
    video.refresh_from_db()
    assert video.is_playable
    return video


def fetch(client, video, path: str) -> str:
    response = client.get(f"/media/videos/{video.uuid}/{path}")
    assert response.status_code == 200, path
    return response.content.decode("utf-8")


def subtitle_media(master_text: str) -> list[dict[str, str]]:
    """The EXT-X-MEDIA lines, parsed with the tests' own attribute parser."""
    from tests.media_pipeline.hls import attributes

    return [attributes(line.split(":", 1)[1]) for line in master_text.splitlines() if line.startswith("#EXT-X-MEDIA:")]


def add(video, teacher, capture, language, label, text=SRT):
    with capture(execute=True):
        services.add_caption(
            video,
            language=language,
            label=label,
            uploaded_file=SimpleUploadedFile("phu-de.srt", text.encode()),
            actor=teacher,
        )


def test_adding_and_removing_captions_rewrites_the_master_playlist(
    make_clip, teacher, immediate_tasks, django_capture_on_commit_callbacks, media_storage, client
):
    capture = django_capture_on_commit_callbacks
    video = transcoded(make_clip, teacher, capture)
    client.force_login(teacher)
    gen = video.output_prefix.removeprefix(video.prefix)
    before = fetch(client, video, gen + "master.m3u8")
    assert "#EXT-X-MEDIA" not in before and "SUBTITLES" not in before

    add(video, teacher, capture, "vi", "Tiếng Việt")
    add(video, teacher, capture, "en", "English", "1\n00:00:00,500 --> 00:00:01,500\nHello\n")
    text = fetch(client, video, gen + "master.m3u8")
    media = subtitle_media(text)
    assert [(m["TYPE"], m["LANGUAGE"], m["NAME"]) for m in media] == [
        ("SUBTITLES", '"en"', '"English"'),
        ("SUBTITLES", '"vi"', '"Tiếng Việt"'),
    ]
    assert all(m["GROUP-ID"] == '"subs"' and m["DEFAULT"] == "NO" and m["AUTOSELECT"] == "YES" for m in media)
    variants = parse_master("\n".join(line for line in text.splitlines() if not line.startswith("#EXT-X-MEDIA:")))
    assert variants and all(v.attrs["SUBTITLES"] == '"subs"' for v in variants)
    assert [v.uri for v in variants] == [v.uri for v in parse_master(before)]  # the ladder is untouched

    # Each rendition's playlist is a VOD playlist of one WebVTT segment as long as the video,
    # and its cues are tied to the first video frame's MPEG-TS time.
    vi = next(m for m in media if m["LANGUAGE"] == '"vi"')
    playlist_path = gen + vi["URI"].strip('"')
    playlist = parse_media(fetch(client, video, playlist_path))
    assert "#EXT-X-ENDLIST" in playlist.tags and len(playlist.uris) == 1
    assert abs(playlist.duration - video.duration) < 0.1
    vtt = fetch(client, video, playlist_path.rsplit("/", 1)[0] + "/" + playlist.uris[0])
    local = media_storage.kind == "local"
    first_segment = media_storage.path(video.output_prefix + "180p/seg_00000.ts") if local else None
    header, _blank, cues = vtt.partition("\n\n")
    assert header.splitlines()[0] == "WEBVTT"
    assert header.splitlines()[1].startswith("X-TIMESTAMP-MAP=MPEGTS:") and header.endswith(",LOCAL:00:00:00.000")
    assert cues == "00:00:00.500 --> 00:00:01.500\nXin chào các em\n"
    if first_segment:
        start = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=start_time", "-of", "csv=p=0", first_segment],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        mpegts = int(header.splitlines()[1].split("MPEGTS:")[1].split(",")[0])
        assert mpegts == round(float(start) * 90000)

    # Removing a caption takes it out of the master and deletes its files; removing the last one
    # leaves a master without subtitles.
    with capture(execute=True):
        assert services.remove_caption(video, language="vi", actor=teacher)
    text = fetch(client, video, gen + "master.m3u8")
    assert [m["LANGUAGE"] for m in subtitle_media(text)] == ['"en"']
    assert client.get(f"/media/videos/{video.uuid}/{playlist_path}").status_code == 404
    with capture(execute=True):
        services.remove_caption(video, language="en", actor=teacher)
    text = fetch(client, video, gen + "master.m3u8")
    assert "#EXT-X-MEDIA" not in text and "SUBTITLES" not in text
    assert [v.uri for v in parse_master(text)] == [v.uri for v in parse_master(before)]


def test_captions_added_before_a_reconversion_are_in_the_new_master(
    make_clip, teacher, immediate_tasks, django_capture_on_commit_callbacks, local_storage, client
):
    capture = django_capture_on_commit_callbacks
    video = transcoded(make_clip, teacher, capture)
    add(video, teacher, capture, "vi", "Tiếng Việt")
    old = video.output_prefix
    with capture(execute=True):
        services.enqueue_transcode(video, actor=teacher)
    video.refresh_from_db()
    assert video.output_prefix != old
    client.force_login(teacher)
    text = fetch(client, video, video.output_prefix.removeprefix(video.prefix) + "master.m3u8")
    assert [m["LANGUAGE"] for m in subtitle_media(text)] == ['"vi"']


def test_timestamp_map_goes_in_the_header_and_replaces_an_old_one():
    vtt = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00.000 --> 00:01.000\nA\n"
    expected = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n\n00:00.000 --> 00:01.000\nA\n"
    assert with_timestamp_map(vtt, 1.4) == expected
