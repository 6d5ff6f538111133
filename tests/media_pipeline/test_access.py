"""Who may reach a lecture video's files: drafts never public, the same 404 for missing and forbidden."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from lms.access import can
from media_pipeline import services
from media_pipeline.access import videos_visible_to
from media_pipeline.models import LectureVideo, RenditionKind, VideoRendition, VideoStatus

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media_pipeline.urls")]

SEE_DRAFTS = {"teacher", "group_head", "school_admin", "reviewer", "province_admin", "ministry_admin"}
EDIT = {"teacher", "school_admin", "province_admin", "ministry_admin"}
MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.4d4015"\n240p/index.m3u8\n'


@pytest.fixture
def draft(cast, local_storage):
    """A ready, unpublished video of the teacher at school A (files written by hand: access needs no ffmpeg)."""
    video = LectureVideo.objects.create(owner=cast.teacher, school=cast.school, title="Nháp", status=VideoStatus.READY)
    generation = f"{video.prefix}g1/"
    for name, data in {"master.m3u8": MASTER.encode(), "240p/seg_00000.ts": b"\x47" * 188}.items():
        local_storage.save(generation + name, ContentFile(data))
    video.original.name = local_storage.save(f"{video.prefix}original/source.mp4", ContentFile(b"\x00" * 64))
    video.output_prefix = generation
    video.save()
    VideoRendition.objects.create(video=video, kind=RenditionKind.MASTER_PLAYLIST, path=generation + "master.m3u8")
    return video


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def url(video, path="g1/master.m3u8"):
    return f"/media/videos/{video.uuid}/{path}"


# The cast costs a few seconds to build (it loads the curriculum), so each test checks every member in a loop.


def test_draft_files_only_for_the_school_staff_and_those_above(cast, draft, client):
    for who, user in cast.everyone().items():
        expected = 200 if who in SEE_DRAFTS else 404
        assert get(client, user, url(draft)).status_code == expected, who
        assert get(client, user, url(draft, "g1/240p/seg_00000.ts")).status_code == expected, who
        assert can(user, "video.view", draft) == (who in SEE_DRAFTS), who
        assert videos_visible_to(user).filter(pk=draft.pk).exists() == (who in SEE_DRAFTS), who
    # The outsider and the anonymous visitor get the same 404 as for a video that does not exist.
    for user in (cast.outsider, None):
        assert get(client, user, url(draft)).status_code == 404
    missing = "/media/videos/00000000-0000-4000-8000-000000000000/g1/master.m3u8"
    assert get(client, cast.teacher, missing).status_code == 404
    assert services.playback_urls(draft, cast.outsider) is None
    assert services.playback_urls(draft, cast.teacher).master_url == url(draft)


def test_published_video_is_open_to_everyone_but_its_original_to_editors_only(cast, draft, client):
    services.set_published(draft, True, actor=cast.teacher)
    for who, user in [*cast.everyone().items(), ("anonymous", None)]:
        assert get(client, user, url(draft)).status_code == 200, who
        expected = 200 if who in EDIT else 404
        assert get(client, user, url(draft, "original/source.mp4")).status_code == expected, who
    assert videos_visible_to(cast.outsider).filter(pk=draft.pk).exists()
    playback = services.playback_urls(draft, cast.outsider_student)
    assert playback is not None and playback.master_url == url(draft)


def test_paths_outside_the_current_generation_are_404(cast, draft, client):
    for path in (
        "g1/../original/source.mp4",
        "g1/./master.m3u8",
        "g1/%2e%2e/original/source.mp4",
        "g0/master.m3u8",
        "g1/missing.ts",
        "captions/vi-1234.vtt",
        "original/other.mp4",
    ):
        assert get(client, cast.teacher, url(draft, path)).status_code == 404, path


def test_served_through_nginx_when_configured(settings, cast, draft, client):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_protected/"
    response = get(client, cast.teacher, url(draft, "g1/240p/seg_00000.ts"))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{draft.output_prefix}240p/seg_00000.ts"
    assert response["Content-Type"] == "video/mp2t"
    assert response["X-Robots-Tag"].startswith("noindex")


def test_only_editors_change_a_video_and_only_for_their_school(cast, draft, make_clip):
    from tests.media_pipeline.helpers import uploaded

    for user in (cast.outsider, cast.student, cast.group_head):
        with pytest.raises(PermissionDenied):
            services.enqueue_transcode(draft, actor=user)
        with pytest.raises(PermissionDenied):
            services.delete_video(draft, actor=user)
    assert can(cast.school_admin, "video.edit", draft)
    assert not can(cast.outsider_admin, "video.edit", draft)
    with pytest.raises(PermissionDenied):
        services.create_video_from_upload(
            owner=cast.outsider,
            title="Lạc trường",
            uploaded_file=uploaded(make_clip("tiny")),
            school=cast.school,
            actor=cast.outsider,
        )
