"""The lecture-video admin area: resumable upload, status, cancel/retry, captions, delete; and who may NOT."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from media_pipeline import services, uploads
from media_pipeline.models import JobState, LectureVideo, VideoStatus, VideoUpload
from tests.media_pipeline.conftest import all_objects
from tests.media_pipeline.helpers import uploaded

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media_pipeline.urls")]

ADMIN = "/admin/lecture-videos/"
UPLOADERS = {"teacher", "group_head", "school_admin", "outsider", "outsider_admin"}
NO_ADMIN = {"student", "outsider_student", "nobody"}  # not let into the Wagtail admin at all


def login(client, user):
    client.logout()
    client.force_login(user)


def start(client, clip_size, title="Bài 1: Phân số", filename="bai-1.mp4", **extra):
    return client.post(ADMIN + "uploads/", {"title": title, "filename": filename, "size": clip_size, **extra})


def put(client, url, offset, data: bytes):
    return client.put(f"{url}?offset={offset}", data=data, content_type="application/octet-stream")


@pytest.fixture
def clip(make_clip):
    return make_clip("tiny").read_bytes()


def test_only_school_staff_and_administrators_may_upload(cast, client, clip, local_storage):
    for who, user in cast.everyone().items():
        login(client, user)
        page = client.get(ADMIN + "upload/")
        response = start(client, len(clip))
        if who in UPLOADERS or who in {"province_admin", "ministry_admin"}:
            assert page.status_code == 200, who
            assert response.status_code == 201, who
        elif who in NO_ADMIN:
            assert page.status_code == 302 and response.status_code == 302, who  # to the login page
        else:  # the reviewer works in the admin but does not upload
            assert page.status_code == 404, who
            assert response.status_code == 403, who
            assert response.json()["error"] == "Bạn không có quyền tải lên video bài giảng."
    assert VideoUpload.objects.filter(owner=cast.student).count() == 0
    assert VideoUpload.objects.filter(owner=cast.reviewer).count() == 0
    # A teacher uploads for their own school only.
    login(client, cast.outsider)
    assert start(client, len(clip), school=cast.school.pk).json()["code"] == "school"


def test_a_chunked_upload_resumes_after_a_drop_and_becomes_a_queued_video(cast, client, clip, local_storage):
    login(client, cast.teacher)
    state = start(client, len(clip)).json()
    assert state["offset"] == 0
    url, half = state["url"], len(clip) // 2

    assert put(client, url, 0, clip[:half]).json()["offset"] == half
    # A piece for the wrong place is refused with where to continue from; nothing is written.
    wrong = put(client, url, 10, clip[10:half])
    assert wrong.status_code == 409 and wrong.json()["offset"] == half
    # The connection drops in the middle of a piece: what arrived stays, and the client asks.
    upload = VideoUpload.objects.get(token=state["id"])
    with pytest.raises(uploads.UploadError):
        uploads.append_chunk(upload, offset=half, stream=io.BytesIO(clip[half : half + 100]), length=1000)
    assert client.get(url).json()["offset"] == half + 100
    # Somebody else cannot see or continue this upload.
    login(client, cast.group_head)
    assert client.get(url).status_code == 404
    assert put(client, url, half + 100, clip[half + 100 :]).status_code == 404
    login(client, cast.teacher)
    done = put(client, url, half + 100, clip[half + 100 :]).json()
    video = LectureVideo.objects.get(uuid=done["video"])
    assert (video.status, video.owner, video.school) == (VideoStatus.QUEUED, cast.teacher, cast.school)
    assert video.title == "Bài 1: Phân số" and video.original_name == "bai-1.mp4"
    assert local_storage.open(video.original.name).read() == clip  # the same bytes, in storage
    assert video.jobs.get().state == JobState.QUEUED
    assert done["edit_url"] == f"{ADMIN}{video.uuid}/"
    assert not uploads.part_path(upload).exists()


def test_a_failed_finish_keeps_the_bytes_and_an_empty_piece_finishes_it(cast, client, clip, local_storage, monkeypatch):
    login(client, cast.teacher)
    state = start(client, len(clip)).json()
    upload = VideoUpload.objects.get(token=state["id"])

    def storage_down(**kwargs):
        raise OSError("storage unreachable")

    monkeypatch.setattr(services, "create_video_from_upload", storage_down)
    with pytest.raises(OSError):
        uploads.append_chunk(upload, offset=0, stream=io.BytesIO(clip), length=len(clip))
    monkeypatch.undo()
    assert client.get(state["url"]).json()["offset"] == len(clip)  # nothing to send again
    done = put(client, state["url"], len(clip), b"").json()
    assert LectureVideo.objects.get(uuid=done["video"]).status == VideoStatus.QUEUED
    # Asking again does not make a second video: the answer points to the first.
    again = put(client, state["url"], len(clip), b"")
    assert again.status_code == 409 and again.json()["video"] == done["video"]
    assert LectureVideo.objects.count() == 1


def test_abandoned_uploads_expire(cast, client, clip, local_storage):
    from datetime import timedelta

    from django.utils import timezone

    login(client, cast.teacher)
    state = start(client, len(clip)).json()
    put(client, state["url"], 0, clip[:1000])
    upload = VideoUpload.objects.get(token=state["id"])
    assert uploads.expire_uploads() == 0
    assert uploads.expire_uploads(now=timezone.now() + timedelta(hours=49)) == 1
    assert not uploads.part_path(upload).exists() and not VideoUpload.objects.exists()
    assert client.get(state["url"]).status_code == 404


def test_refused_uploads_say_why_in_vietnamese(cast, client, clip, settings, local_storage):
    login(client, cast.teacher)
    settings.MEDIA_MAX_UPLOAD_BYTES = 1024 * 1024
    too_big = start(client, 3 * 1024 * 1024)
    assert too_big.status_code == 400
    assert too_big.json() == {"code": "file_too_large", "error": "Tệp có dung lượng 3 MB; giới hạn là 1 MB."}
    assert start(client, len(clip), title="  ").json()["error"] == "Hãy đặt tiêu đề cho video."
    # A text file renamed .mp4 is sent whole, then refused by the probe: recorded, not stored.
    text = "Giáo án tuần 1\n".encode() * 200
    state = start(client, len(text), filename="giao-an.mp4").json()
    done = put(client, state["url"], 0, text).json()
    assert done["status"] == "rejected"
    assert done["error"] == "Tệp này không phải tệp video hoặc âm thanh đọc được."
    assert all_objects(local_storage) == []


def test_plain_form_upload_without_javascript(cast, client, make_clip, local_storage):
    login(client, cast.teacher)
    response = client.post(
        ADMIN + "upload/",
        {"title": "Bài 2", "school": cast.school.pk, "file": uploaded(make_clip("tiny"), name="bai-2.mp4")},
    )
    video = LectureVideo.objects.get(title="Bài 2")
    assert response.status_code == 302 and response["Location"] == f"{ADMIN}{video.uuid}/"
    bad = client.post(
        ADMIN + "upload/",
        {"title": "Bài 3", "school": cast.school.pk, "file": SimpleUploadedFile("x.mp4", b"not a video" * 10)},
    )
    assert bad.status_code == 200
    assert "Tệp này không phải tệp video hoặc âm thanh đọc được." in bad.content.decode()


@pytest.fixture
def video(cast, make_clip, local_storage):
    return services.create_video_from_upload(
        owner=cast.teacher, title="Bài 4", uploaded_file=uploaded(make_clip("tiny")), school=cast.school
    )


def test_status_cancel_retry_and_delete_only_for_editors(
    cast, client, video, local_storage, django_capture_on_commit_callbacks
):
    base = f"{ADMIN}{video.uuid}/"
    for who, user in cast.everyone().items():
        login(client, user)
        may_edit = who in {"teacher", "school_admin", "province_admin", "ministry_admin"}
        expected = 200 if may_edit else (302 if who in NO_ADMIN else 404)
        assert client.get(base).status_code == expected, who
        assert client.get(base + "status/").status_code == expected, who
        if not may_edit:
            for action in ("cancel/", "transcode/", "delete/"):
                assert client.post(base + action).status_code in (302, 404), (who, action)
            assert LectureVideo.objects.filter(pk=video.pk).exists()
            assert video.jobs.get().state == JobState.QUEUED, who

    login(client, cast.teacher)
    status = client.get(base + "status/").json()
    assert status["status"] == "queued" and status["job"]["state"] == "queued" and status["job"]["active"]
    assert status["status_label"] == "Đang chờ chuyển đổi"
    assert client.post(base + "cancel/").status_code == 302
    status = client.get(base + "status/").json()
    assert (status["status"], status["job"]["state"], status["job"]["active"]) == ("cancelled", "cancelled", False)
    client.post(base + "transcode/")
    assert video.jobs.filter(state=JobState.QUEUED).count() == 1

    # The listing shows the teacher's video; a colleague who may watch but not change it does not get it listed.
    assert "Bài 4" in client.get(ADMIN).content.decode()
    login(client, cast.group_head)
    assert "Bài 4" not in client.get(ADMIN).content.decode()

    login(client, cast.teacher)
    assert all_objects(local_storage)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(base + "delete/").status_code == 302
    assert not LectureVideo.objects.filter(pk=video.pk).exists()
    assert all_objects(local_storage) == []


def test_captions_uploaded_in_the_admin(cast, client, video, local_storage):
    base = f"{ADMIN}{video.uuid}/"
    srt = SimpleUploadedFile("phu-de.srt", "1\n00:00:00,000 --> 00:00:01,000\nXin chào\n".encode())
    login(client, cast.group_head)
    assert client.post(base + "captions/", {"language": "vi", "file": srt}).status_code == 404
    login(client, cast.teacher)
    srt.seek(0)
    assert client.post(base + "captions/", {"language": "vi", "file": srt}).status_code == 302
    assert [(c.language, c.label) for c in video.captions.all()] == [("vi", "Tiếng Việt")]
    bad = client.post(base + "captions/", {"language": "vi", "file": SimpleUploadedFile("a.srt", b"no timing\n")})
    assert bad.status_code == 400 and "Tệp phụ đề không phải định dạng SRT hay WebVTT." in bad.content.decode()
    odd = client.post(base + "captions/", {"language": "Việt", "file": SimpleUploadedFile("a.srt", b"x")})
    assert "Hãy dùng mã ngôn ngữ như vi hoặc en." in odd.content.decode()
    login(client, cast.group_head)
    assert client.post(base + "captions/vi/delete/").status_code == 404
    login(client, cast.teacher)
    assert client.post(base + "captions/vi/delete/").status_code == 302
    assert not video.captions.exists()


def test_the_edit_page_embeds_its_state_for_the_progress_display(cast, client, video):
    login(client, cast.teacher)
    html = client.get(f"{ADMIN}{video.uuid}/").content.decode()
    assert f'data-status-url="{ADMIN}{video.uuid}/status/"' in html
    start_at = html.index('data-state="') + len('data-state="')
    import html as html_lib

    state = json.loads(html_lib.unescape(html[start_at : html.index('"', start_at)]))
    assert state["job"]["progress"] == 0 and state["status"] == "queued"
