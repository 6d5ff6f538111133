"""The player a page shows for a lecture video ({% lecture_player %}) and the watch page: who sees what."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import RequestFactory

from media_pipeline import services
from media_pipeline.models import Caption, LectureVideo, RenditionKind, VideoRendition, VideoStatus

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media_pipeline.urls")]

MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.4d4015"\n240p/index.m3u8\n'


@pytest.fixture
def video(cast, local_storage):
    """A ready draft of the teacher at school A, with a ladder, an MP4, a poster and Vietnamese captions."""
    video = LectureVideo.objects.create(
        owner=cast.teacher, school=cast.school, title="Phân số bằng nhau", status=VideoStatus.READY, duration=120.0
    )
    gen = f"{video.prefix}g1/"
    for name, data in {"master.m3u8": MASTER.encode(), "download.mp4": b"\0" * 64, "poster.jpg": b"\xff\xd8"}.items():
        local_storage.save(gen + name, ContentFile(data))
    video.output_prefix = gen
    video.save()
    rows = [
        (RenditionKind.MASTER_PLAYLIST, "master.m3u8", {}),
        (RenditionKind.HLS_VARIANT, "240p/index.m3u8", {"name": "240p", "width": 426, "height": 240}),
        (RenditionKind.HLS_VARIANT, "360p/index.m3u8", {"name": "360p", "width": 640, "height": 360}),
        (RenditionKind.MP4_DOWNLOAD, "download.mp4", {"name": "360p", "bitrate": 700_000}),
        (RenditionKind.POSTER, "poster.jpg", {}),
    ]
    for kind, path, extra in rows:
        VideoRendition.objects.create(video=video, kind=kind, path=gen + path, **extra)
    caption = Caption(video=video, language="vi", label="Tiếng Việt")
    caption.file.save("vi.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch\xc3\xa0o\n"), save=False)
    caption.save()
    return video


def render(video, user, text="{% load media_player %}{% lecture_player video %}"):
    request = RequestFactory().get("/")
    request.user = user
    return Template(text).render(Context({"video": video, "request": request}))


def test_the_player_has_every_way_to_watch(cast, video):
    html = render(video, cast.teacher)
    base = f"/media/videos/{video.uuid}/"
    # hls.js / native HLS get the master playlist; without JavaScript the MP4 plays with its captions.
    assert f'data-hls="{base}g1/master.m3u8"' in html
    assert f'<source src="{base}g1/download.mp4" type="video/mp4">' in html
    assert f'poster="{base}g1/poster.jpg"' in html
    caption = video.captions.get()
    assert f'<track kind="captions" srclang="vi" label="Tiếng Việt" src="{base}{caption.relative_path}">' in html
    # Menus: quality per rung (lowest first), captions, speed; all labelled.
    assert html.index('value="426x240">240p') < html.index('value="640x360">360p')
    for control in ("quality", "captions", "speed"):
        assert f'<label for="lecture-{video.uuid.hex[:12]}-1-{control}">' in html
    assert "Tải về để xem không cần mạng (MP4, 360p, khoảng 10,0 MB)" in html
    assert "frontend/build/player.js" in html and "frontend/build/player-hls.js" in html


def test_people_who_may_not_watch_get_nothing(cast, video):
    for user in (cast.outsider, cast.outsider_student, cast.student, cast.nobody):
        assert render(video, user).strip() == "", user
    from django.contrib.auth.models import AnonymousUser

    assert render(video, AnonymousUser()).strip() == ""
    services.set_published(video, True)
    assert "data-hls=" in render(video, AnonymousUser())


def test_a_video_not_ready_yet_says_so(cast, video):
    LectureVideo.objects.filter(pk=video.pk).update(output_prefix="", status=VideoStatus.TRANSCODING)
    video.refresh_from_db()
    html = render(video, cast.teacher)
    assert "<video" not in html
    assert "Video bài giảng này chưa sẵn sàng (Đang chuyển đổi)." in html


def test_two_players_on_one_page_have_distinct_ids(cast, video):
    html = render(video, cast.teacher, "{% load media_player %}{% lecture_player video %}{% lecture_player video %}")
    assert html.count("<video") == 2
    assert f'id="lecture-{video.uuid.hex[:12]}-1"' in html and f'id="lecture-{video.uuid.hex[:12]}-2"' in html


def test_watch_page_only_for_those_who_may_watch(cast, video, client):
    url = f"/media/videos/{video.uuid}/watch/"
    for who, user in cast.everyone().items():
        client.logout()
        client.force_login(user)
        response = client.get(url)
        allowed = who in {"teacher", "group_head", "school_admin", "reviewer", "province_admin", "ministry_admin"}
        assert response.status_code == (200 if allowed else 404), who
        if allowed:
            assert response["X-Robots-Tag"].startswith("noindex")
            assert b"<video" in response.content
            # Only editors are offered the admin page.
            manage = f"/admin/lecture-videos/{video.uuid}/".encode()
            editors = {"teacher", "school_admin", "province_admin", "ministry_admin"}
            assert (manage in response.content) == (who in editors)
    client.logout()
    assert client.get(url).status_code == 404
    services.set_published(video, True)
    assert client.get(url).status_code == 200
