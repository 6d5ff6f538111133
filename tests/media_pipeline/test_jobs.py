"""The whole pipeline through its public functions, on local disk and on the real S3 server.

Upload → probe → job → one transcode attempt → outputs in storage → switch; then
re-runs, failures, retries, cancellation and deletion, each checked by listing
the storage: nothing is orphaned, nothing current is lost.
"""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from media_pipeline import jobs, services, worker
from media_pipeline.models import JobState, LectureVideo, RenditionKind, TranscodeJob, VideoStatus
from media_pipeline.signals import transcode_progress
from media_pipeline.storage import save_local_file
from tests.media_pipeline import clips
from tests.media_pipeline.conftest import all_objects
from tests.media_pipeline.helpers import uploaded
from tests.media_pipeline.hls import master as parse_master

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.media_pipeline.urls")]


@pytest.fixture
def teacher(django_user_model):
    return django_user_model.objects.create_user(username="gv-media", password="x" * 12, full_name="Nguyễn Văn An")


@pytest.fixture
def ready_video(make_clip, teacher, immediate_tasks, django_capture_on_commit_callbacks, media_storage):
    upload = uploaded(make_clip("tiny"), temporary=True)
    with django_capture_on_commit_callbacks(execute=True):
        video = services.create_video_from_upload(owner=teacher, title="Phân số", uploaded_file=upload)
    upload.close()  # as Django does at the end of a request
    video.refresh_from_db()
    return video


def generation_files(video) -> list[str]:
    return sorted(r.path for r in video.renditions.all())


def expected_objects(video) -> set[str]:
    """Original + every file of the current generation: what the storage should hold, exactly."""
    gen = video.output_prefix
    names = {video.original.name}
    names |= {f"{gen}master.m3u8", f"{gen}download.mp4", f"{gen}poster.jpg"}
    names |= {f"{gen}thumbs/thumb_0{i}.jpg" for i in range(1, 6)}
    for rung in ("180p", "audio"):
        names |= {f"{gen}{rung}/index.m3u8", f"{gen}{rung}/seg_00000.ts"}
    return names


def test_upload_transcode_and_play(ready_video, media_storage, client, teacher):
    video = ready_video
    assert video.status == VideoStatus.READY and video.is_playable
    assert (video.width, video.height, video.has_audio) == (320, 180, True)
    job = video.jobs.get()
    assert (job.state, job.attempts, job.progress, job.error) == (JobState.SUCCEEDED, 1, 100, "")
    assert video.output_prefix.startswith(f"videos/{video.uuid}/g") and job.output_prefix == video.output_prefix
    assert set(all_objects(media_storage)) == expected_objects(video)
    kinds = sorted(video.renditions.values_list("kind", flat=True))
    assert kinds.count(RenditionKind.THUMBNAIL) == 5 and RenditionKind.MASTER_PLAYLIST in kinds

    client.force_login(teacher)
    playback = services.playback_urls(video, teacher)
    response = client.get(playback.master_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response["Cache-Control"].startswith("private")
    variants = parse_master(response.content.decode())
    assert [v.uri for v in variants] == ["180p/index.m3u8", "audio/index.m3u8"]

    segment_url = playback.master_url.replace("master.m3u8", "180p/seg_00000.ts")
    response = client.get(segment_url)
    if media_storage.kind == "local":
        assert response.status_code == 200 and response["Content-Type"] == "video/mp2t"
        assert b"".join(response.streaming_content)[:1] == b"\x47"
    else:
        # A redirect to a short-lived signed URL of the private object, served with its stored headers.
        assert response.status_code == 302 and "X-Amz-Signature=" in response["Location"]
        with urllib.request.urlopen(response["Location"]) as s3_response:  # noqa: S310 - the test S3 server
            assert s3_response.headers["Content-Type"] == "video/mp2t"
            assert "immutable" in s3_response.headers["Cache-Control"]
            assert s3_response.read(1) == b"\x47"
        unsigned = response["Location"].split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(unsigned)  # noqa: S310
        assert refused.value.code == 403, "draft objects are private"


@pytest.mark.parametrize("media_storage", [pytest.param("s3", marks=pytest.mark.integration)], indirect=True)
def test_s3_objects_carry_content_type_and_cache_headers(ready_video, media_storage):
    """Local disk stores no headers (the view sets them, see above); S3 stores them with each object."""
    client = media_storage.connection.meta.client
    expected = {
        "master.m3u8": ("application/vnd.apple.mpegurl", "max-age=60"),
        "180p/seg_00000.ts": ("video/mp2t", "immutable"),
        "download.mp4": ("video/mp4", "immutable"),
        "poster.jpg": ("image/jpeg", "immutable"),
    }
    for name, (content_type, cache) in expected.items():
        key = f"{media_storage.location}/{ready_video.output_prefix}{name}"
        head = client.head_object(Bucket=media_storage.bucket_name, Key=key)
        assert head["ContentType"] == content_type
        assert cache in head["CacheControl"] and "private" in head["CacheControl"]


def test_rerun_writes_a_new_generation_then_deletes_the_old(
    ready_video, media_storage, teacher, django_capture_on_commit_callbacks
):
    old_prefix = ready_video.output_prefix
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_transcode(ready_video, actor=teacher)
    ready_video.refresh_from_db()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert ready_video.output_prefix != old_prefix
    assert all(path.startswith(ready_video.output_prefix) for path in generation_files(ready_video))
    assert set(all_objects(media_storage)) == expected_objects(ready_video), "no orphans of the old generation"


def test_failed_rerun_keeps_the_old_outputs_and_leaves_no_partial_objects(
    ready_video, media_storage, teacher, django_capture_on_commit_callbacks, monkeypatch
):
    old_prefix, old_files = ready_video.output_prefix, set(all_objects(media_storage))
    real_upload = worker.upload_outputs

    def upload_half_then_fail(storage, prefix, out_dir, files, **kwargs):
        real_upload(storage, prefix, out_dir, files[:3], **kwargs)
        assert any(name.startswith(prefix) for name in all_objects(storage)), "partial objects were written"
        raise OSError("storage went away")

    monkeypatch.setattr(worker, "upload_outputs", upload_half_then_fail)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue_transcode(ready_video, actor=teacher)
    job.refresh_from_db()
    ready_video.refresh_from_db()
    # Retried up to max_attempts (at once: the immediate backend cannot defer), then failed.
    assert (job.state, job.attempts, job.error_code) == (JobState.FAILED, 3, "internal_error")
    assert "OSError" in job.error
    assert ready_video.status == VideoStatus.READY and ready_video.output_prefix == old_prefix
    assert set(all_objects(media_storage)) == old_files


def test_deleting_a_video_deletes_all_its_objects(ready_video, media_storage, django_capture_on_commit_callbacks):
    assert all_objects(media_storage)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_video(ready_video)
    assert all_objects(media_storage) == []
    assert not LectureVideo.objects.filter(pk=ready_video.pk).exists()


def test_captions_are_stored_as_webvtt_and_served(ready_video, media_storage, client, teacher):
    srt = uploaded_caption("1\n00:00:00,000 --> 00:00:01,500\nXin chào\n")
    caption = services.add_caption(ready_video, language="vi", label="Tiếng Việt", uploaded_file=srt, actor=teacher)
    assert caption.file.name.startswith(f"{ready_video.prefix}captions/vi-")
    client.force_login(teacher)
    playback = services.playback_urls(ready_video, teacher)
    response = client.get(playback.captions[0].url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vtt")
    assert response.content.decode() == "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nXin chào\n"


def uploaded_caption(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("phu-de.srt", text.encode("utf-8"))


# --- Local disk only: the state machine's edges ------------------------------------------------


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda tmp, clip: _write(tmp / "empty.mp4", b""), "empty_file"),
        (lambda tmp, clip: _write(tmp / "notes.mp4", "Giáo án tuần 1\n".encode() * 50), "not_media"),
        (lambda tmp, clip: clips.truncated_copy(clip, tmp / "cut.mp4", 0.4), "corrupt_file"),
    ],
    ids=["zero-byte", "text-renamed-mp4", "corrupt"],
)
def test_bad_uploads_are_rejected_with_a_message_and_nothing_stored(
    make, code, make_clip, tmp_path, teacher, local_storage, immediate_tasks
):
    path = make(tmp_path, make_clip("tiny"))
    video = services.create_video_from_upload(owner=teacher, title="Bài lỗi", uploaded_file=uploaded(path))
    assert (video.status, video.rejection_code) == (VideoStatus.REJECTED, code)
    assert not video.original and not video.jobs.exists()
    assert all_objects(local_storage) == []
    with translation.override("en"):
        english = video.rejection_reason()
    with translation.override("vi"):
        vietnamese = video.rejection_reason()
    assert english and vietnamese and english != vietnamese
    assert video.rejection_message == vietnamese  # stored as rendered for the uploader (the site language)


def test_oversized_and_overlong_uploads_are_rejected(settings, make_clip, teacher, local_storage):
    settings.MEDIA_MAX_UPLOAD_BYTES = 10_000
    video = services.create_video_from_upload(owner=teacher, title="Lớn", uploaded_file=uploaded(make_clip("tiny")))
    assert video.rejection_code == "file_too_large"
    with translation.override("vi"):
        assert video.rejection_reason().endswith("giới hạn là 1 MB.")
    settings.MEDIA_MAX_UPLOAD_BYTES = 2 * 1024**3
    settings.MEDIA_MAX_DURATION_SECONDS = 1
    video = services.create_video_from_upload(owner=teacher, title="Dài", uploaded_file=uploaded(make_clip("tiny")))
    assert video.rejection_code == "too_long"
    with translation.override("vi"):
        assert video.rejection_reason() == "Video dài 0:02; giới hạn là 0:01."
    assert all_objects(local_storage) == []


def test_a_file_damaged_past_its_index_ends_as_a_failed_job(
    make_clip, tmp_path, teacher, local_storage, immediate_tasks, django_capture_on_commit_callbacks
):
    source = make_clip("tiny_faststart")
    path = tmp_path / "half.mp4"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    with django_capture_on_commit_callbacks(execute=True):
        video = services.create_video_from_upload(owner=teacher, title="Nửa bài", uploaded_file=uploaded(path))
    video.refresh_from_db()
    job = video.jobs.get()
    assert (job.state, job.error_code, job.attempts) == (JobState.FAILED, "truncated", 1)
    assert video.status == VideoStatus.FAILED and not video.is_playable
    assert job.error.startswith("Chỉ đọc được 0:0")  # stored as the uploader reads it (the site language)
    assert all_objects(local_storage) == [video.original.name]


def test_a_hostile_file_found_by_the_worker_is_rejected_without_an_exception(teacher, local_storage, tmp_path):
    text = _write(tmp_path / "x.mp4", b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n")
    video = LectureVideo.objects.create(owner=teacher, title="Lạ")
    video.original.name = save_local_file(local_storage, f"{video.prefix}original/source.mp4", text)
    video.save()
    job = TranscodeJob.objects.create(video=video)
    assert worker.process_job(job.pk) == JobState.FAILED
    video.refresh_from_db()
    job.refresh_from_db()
    assert video.status == VideoStatus.REJECTED and job.error_code in {"not_media", "unsupported_format"}
    assert all_objects(local_storage) == [video.original.name]


def test_transient_failure_is_retried_with_exponential_back_off(
    make_clip, teacher, local_storage, django_capture_on_commit_callbacks, monkeypatch
):
    """With the database queue (it can defer): the retry is enqueued to run after the back-off."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        video = services.create_video_from_upload(
            owner=teacher, title="Thử lại", uploaded_file=uploaded(make_clip("tiny"))
        )
    job = video.jobs.get()
    first_task = DBTaskResult.objects.get()
    assert first_task.queue_name == "media" and first_task.args_kwargs["args"] == [job.pk]

    calls = []

    def flaky_transcode(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_transcode(*args, **kwargs)

    real_transcode = worker.transcode
    monkeypatch.setattr(worker, "transcode", flaky_transcode)
    with django_capture_on_commit_callbacks(execute=True):
        assert worker.process_job(job.pk) == JobState.RETRYING
    job.refresh_from_db()
    assert job.attempts == 1 and job.error_code == "internal_error"
    delay = (job.next_attempt_at - timezone.now()).total_seconds()
    assert 55 <= delay <= 60
    retry_task = DBTaskResult.objects.exclude(pk=first_task.pk).get()
    assert retry_task.run_after == job.next_attempt_at
    assert video.jobs.get().state == JobState.RETRYING

    assert worker.process_job(job.pk) == "skipped", "not due yet"
    TranscodeJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert worker.process_job(job.pk) == JobState.SUCCEEDED
    assert worker.process_job(job.pk) == "skipped", "safe to run twice"
    job.refresh_from_db()
    assert job.attempts == 2 and job.error == ""
    assert jobs.backoff_seconds(1) == 60 and jobs.backoff_seconds(3) == 240 and jobs.backoff_seconds(20) == 3600


def test_cancelling_a_running_job_stops_ffmpeg(make_clip, teacher, local_storage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        video = services.create_video_from_upload(
            owner=teacher, title="Huỷ", uploaded_file=uploaded(make_clip("landscape_720p"))
        )
    job = video.jobs.get()

    def cancel_on_first_progress(sender, job_id, progress, **kwargs):
        if 0 < progress < 90:
            services.cancel_transcode(LectureVideo.objects.get(pk=video.pk), actor=teacher)

    transcode_progress.connect(cancel_on_first_progress)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert worker.process_job(job.pk) == JobState.CANCELLED
    finally:
        transcode_progress.disconnect(cancel_on_first_progress)
    job.refresh_from_db()
    video.refresh_from_db()
    assert job.progress < 90 and video.status == VideoStatus.CANCELLED
    assert all_objects(local_storage) == [video.original.name]


def test_cancelling_a_queued_job_is_immediate(make_clip, teacher, local_storage):
    video = services.create_video_from_upload(owner=teacher, title="Chờ", uploaded_file=uploaded(make_clip("tiny")))
    job = services.cancel_transcode(video, actor=teacher)
    assert job.state == JobState.CANCELLED
    assert worker.process_job(job.pk) == "skipped"
    assert LectureVideo.objects.get(pk=video.pk).status == VideoStatus.CANCELLED


def test_a_second_request_joins_the_active_job(make_clip, teacher, local_storage):
    video = services.create_video_from_upload(owner=teacher, title="Một", uploaded_file=uploaded(make_clip("tiny")))
    assert services.enqueue_transcode(video) == video.jobs.get()


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_deleting_a_video_while_it_transcodes_leaves_nothing_behind(
    make_clip, teacher, local_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        video = services.create_video_from_upload(
            owner=teacher, title="Xoá giữa chừng", uploaded_file=uploaded(make_clip("low_4_3"))
        )
    job = video.jobs.get()

    def delete_on_progress(sender, job_id, progress, **kwargs):
        if progress > 0 and LectureVideo.objects.filter(pk=video.pk).exists():
            services.delete_video(LectureVideo.objects.get(pk=video.pk), actor=teacher)

    transcode_progress.connect(delete_on_progress)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert worker.process_job(job.pk) == "deleted"
    finally:
        transcode_progress.disconnect(delete_on_progress)
    assert all_objects(local_storage) == []
