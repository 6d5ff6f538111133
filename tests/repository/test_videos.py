"""Lecture videos in materials: choosing one, refusing somebody else's draft, publishing with the material."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from media_pipeline.access import can_view_video
from media_pipeline.models import LectureVideo, VideoStatus
from repository.models import MaterialPage, SchoolLibraryPage, SharingScope, VideoLecturePage
from repository.services import school_area
from tests.repository.test_admin_authoring import _errors, form

pytestmark = pytest.mark.django_db


def video(owner, school, title, *, status=VideoStatus.READY, published=False):
    return LectureVideo.objects.create(
        title=title,
        owner=owner,
        school=school,
        status=status,
        output_prefix=f"videos/{title}/g1/" if status == VideoStatus.READY else "",
        duration=12.0,
        is_published=published,
    )


def add_video_page_url(area):
    return reverse("wagtailadmin_pages:add", args=("repository", "videolecturepage", area.pk))


def test_the_chooser_lists_only_videos_the_teacher_may_use(library, client):
    c = library
    video(c.teacher, c.school, "Video của tôi")
    video(c.teacher, c.school, "Video bị từ chối", status=VideoStatus.REJECTED)
    video(c.outsider, c.other_school, "Bản nháp trường khác")
    video(c.outsider, c.other_school, "Video đã xuất bản trường khác", published=True)
    client.force_login(c.teacher)
    html = client.get(reverse("lecture_video_chooser:choose")).json()["html"]
    assert "Video của tôi" in html
    assert "Video đã xuất bản trường khác" in html
    assert "Bản nháp trường khác" not in html
    assert "Video bị từ chối" not in html


def test_a_teacher_attaches_their_video_to_a_video_lecture(library, client):
    c = library
    mine = video(c.teacher, c.school, "Phân số – video")
    area = SchoolLibraryPage.objects.get(school=c.school)
    client.force_login(c.teacher)
    response = client.post(add_video_page_url(area), {**form("Video phân số"), "video": str(mine.pk)})
    assert response.status_code == 302, _errors(response.content.decode())
    assert VideoLecturePage.objects.get(title="Video phân số").video == mine


def test_a_tampered_id_of_another_schools_draft_video_is_refused_and_saves_nothing(library, client):
    c = library
    theirs = video(c.outsider, c.other_school, "Bản nháp trường khác")
    area = SchoolLibraryPage.objects.get(school=c.school)
    client.force_login(c.teacher)
    response = client.post(add_video_page_url(area), {**form("Video lấy trộm"), "video": str(theirs.pk)})
    assert response.status_code == 200
    assert not MaterialPage.objects.filter(title="Video lấy trộm").exists()


def test_a_body_video_block_with_another_schools_draft_is_refused(library, client):
    c = library
    theirs = video(c.outsider, c.other_school, "Bản nháp trường khác")
    area = SchoolLibraryPage.objects.get(school=c.school)
    data = form("Bài có video lạ")
    data.update(
        nested_form_data({"body": streamfield([("video", {"video": theirs.pk, "caption": ""})])}),
    )
    client.force_login(c.teacher)
    response = client.post(reverse("wagtailadmin_pages:add", args=("repository", "lessonpage", area.pk)), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bạn không được dùng video bài giảng “Bản nháp trường khác”" in html, _errors(html)
    assert not MaterialPage.objects.filter(title="Bài có video lạ").exists()


def test_the_video_is_public_only_while_a_material_showing_it_is_live(library):
    c = library
    lecture = video(c.teacher, c.school, "Phân số – video")
    page = VideoLecturePage(
        title="Video phân số",
        owner=c.teacher,
        subject_id=MaterialPage._meta.get_field("subject").related_model.objects.get(slug="toan").pk,
        sharing_scope=SharingScope.NATIONAL,
        video=lecture,
        body=[("video", {"video": lecture, "caption": "Nhắc lại"})],
    )
    school_area(c.school).add_child(instance=page)
    page.save_revision(user=c.teacher)
    lecture.refresh_from_db()
    assert not lecture.is_published
    assert not can_view_video(c.outsider_student, lecture)

    page.get_latest_revision().publish()
    lecture.refresh_from_db()
    assert lecture.is_published
    assert can_view_video(c.outsider_student, lecture)

    page.refresh_from_db()
    page.unpublish()
    lecture.refresh_from_db()
    assert not lecture.is_published
    assert not can_view_video(c.outsider_student, lecture)


def test_the_published_material_page_plays_its_video_through_the_access_checked_urls(library, client):
    from media_pipeline.models import RenditionKind, VideoRendition

    c = library
    lecture = video(c.teacher, c.school, "Phân số – video")
    VideoRendition.objects.create(video=lecture, kind=RenditionKind.MASTER_PLAYLIST, path="master.m3u8")
    page = VideoLecturePage(
        title="Video phân số toàn quốc",
        owner=c.teacher,
        subject_id=MaterialPage._meta.get_field("subject").related_model.objects.get(slug="toan").pk,
        sharing_scope=SharingScope.NATIONAL,
        video=lecture,
    )
    school_area(c.school).add_child(instance=page)
    page.save_revision(user=c.teacher).publish()
    client.force_login(c.outsider_student)
    html = client.get(page.url).content.decode()
    assert "data-lecture-player" in html
    assert f"/media/videos/{lecture.uuid}/" in html


def test_a_teacher_uploads_a_new_video_from_the_editors_chooser(library, client, settings, tmp_path):
    """The chooser's upload tab: the file is checked with ffprobe, stored, queued for conversion and chosen."""
    from media_pipeline.models import JobState
    from tests.media_pipeline.clips import video_clip
    from tests.media_pipeline.storages import apply_storage

    apply_storage(settings, "local", str(tmp_path / "media"))
    c = library
    clip = video_clip(tmp_path / "bai-2.mp4", width=320, height=180, seconds=2)
    client.force_login(c.teacher)
    modal = client.get(reverse("lecture_video_chooser:choose")).json()["html"]
    assert 'id="tab-label-create"' in modal and 'enctype="multipart/form-data"' in modal
    with clip.open("rb") as upload:
        response = client.post(
            reverse("lecture_video_chooser:create"), {"title": "Bài 2 – video", "school": c.school.pk, "file": upload}
        )
    chosen = response.json()
    assert chosen["step"] == "chosen", chosen
    uploaded = LectureVideo.objects.get(title="Bài 2 – video")
    assert chosen["result"]["id"] == str(uploaded.pk)
    assert (uploaded.owner, uploaded.school, uploaded.status) == (c.teacher, c.school, VideoStatus.QUEUED)
    assert uploaded.jobs.get().state == JobState.QUEUED


def test_the_chooser_refuses_a_file_that_is_not_a_video_with_the_reason(library, client, settings, tmp_path):
    from tests.media_pipeline.storages import apply_storage

    apply_storage(settings, "local", str(tmp_path / "media"))
    fake = tmp_path / "bai-giang.mp4"
    fake.write_text("đây không phải video", encoding="utf-8")
    client.force_login(library.teacher)
    with fake.open("rb") as upload:
        response = client.post(
            reverse("lecture_video_chooser:create"), {"title": "Giả", "school": library.school.pk, "file": upload}
        ).json()
    assert response["step"] == "reshow_creation_form"
    assert "Tệp này không phải tệp video hoặc âm thanh đọc được." in response["htmlFragment"]
    assert not LectureVideo.objects.exclude(status=VideoStatus.REJECTED).filter(title="Giả").exists()


def test_people_who_may_not_upload_get_no_upload_tab_and_cannot_post(library, client, settings, tmp_path):
    from tests.media_pipeline.storages import apply_storage

    apply_storage(settings, "local", str(tmp_path / "media"))
    client.force_login(library.reviewer)
    modal = client.get(reverse("lecture_video_chooser:choose")).json()["html"]
    assert 'id="tab-label-create"' not in modal
    fake = tmp_path / "x.mp4"
    fake.write_bytes(b"\0" * 10)
    with fake.open("rb") as upload:
        response = client.post(reverse("lecture_video_chooser:create"), {"title": "X", "file": upload})
    assert response.status_code in (302, 403)
    assert not LectureVideo.objects.filter(title="X").exists()


def test_the_editor_follows_the_chosen_videos_conversion_without_reloading(library, client):
    from media_pipeline.models import JobState, TranscodeJob

    c = library
    mine = video(c.teacher, c.school, "Đang chuyển đổi", status=VideoStatus.TRANSCODING)
    TranscodeJob.objects.create(video=mine, state=JobState.RUNNING, progress=42, attempts=1)
    colleagues = video(c.group_head, c.school, "Video của tổ trưởng", status=VideoStatus.TRANSCODING)
    TranscodeJob.objects.create(video=colleagues, state=JobState.RUNNING, progress=7, attempts=1)
    area = SchoolLibraryPage.objects.get(school=c.school)
    client.force_login(c.teacher)

    def edit_page(title, chosen):
        response = client.post(add_video_page_url(area), {**form(title), "video": str(chosen.pk)})
        assert response.status_code == 302, _errors(response.content.decode())
        page = VideoLecturePage.objects.get(title=title)
        return client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()

    html = edit_page("Bài giảng video", mine)
    assert "Chuyển đổi video" in html and "Tiến độ chuyển đổi" in html
    assert 'value="42"' in html
    assert "data-no-reload" in html and reverse("media_pipeline_admin:status", args=(mine.uuid,)) in html
    # A colleague's video: its state shows, its job's status endpoint (and error details) are not offered.
    html = edit_page("Bài giảng dùng video của tổ", colleagues)
    assert "Chuyển đổi video" in html and "Đang chuyển đổi" in html
    assert reverse("media_pipeline_admin:status", args=(colleagues.uuid,)) not in html
