"""The lecture-video area of the Wagtail admin: list, upload (resumable), follow the conversion, captions, delete.

Every view asks ``lms.access`` first: uploading needs ``video.upload``; anything
done to a video needs ``video.edit`` (others get the same 404 as for a missing
video). The JSON endpoints (upload protocol, status) answer errors with a
message in the user's language and a stable English ``code``.
"""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.access import can
from media_pipeline import services, uploads
from media_pipeline.access import get_video_for, upload_schools, videos_editable_by
from media_pipeline.admin_forms import CaptionForm, UploadForm
from media_pipeline.errors import MediaError
from media_pipeline.models import ACTIVE_JOB_STATES, LectureVideo, TranscodeJob, VideoStatus

logger = logging.getLogger(__name__)


def may_upload(user) -> bool:
    return can(user, "video.upload", None)


def _json_error(code: str, message: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"code": code, "error": message, **extra}, status=status)


def _editable(request: HttpRequest, video_uuid) -> LectureVideo:
    return get_video_for(request.user, "video.edit", video_uuid)


# --- Listing and the plain upload form -------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    videos = videos_editable_by(request.user).select_related("school", "owner")
    if not may_upload(request.user) and not videos.exists():
        raise Http404
    page = Paginator(videos, 25).get_page(request.GET.get("p"))
    jobs = {}
    for job in TranscodeJob.objects.filter(video__in=list(page.object_list)).order_by("video_id", "-created_at"):
        jobs.setdefault(job.video_id, job)
    rows = [(video, jobs.get(video.pk)) for video in page.object_list]
    return TemplateResponse(
        request,
        "media_pipeline/admin/index.html",
        {"page": page, "rows": rows, "may_upload": may_upload(request.user)},
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not may_upload(request.user):
        raise Http404
    schools = upload_schools(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            video = form.save(request.user)  # a refused file comes back on the form, with its reason
        except PermissionDenied:
            raise Http404 from None
        if video.status != VideoStatus.REJECTED:
            messages.success(request, _("“%(title)s” was uploaded and is being converted.") % {"title": video.title})
            return redirect("media_pipeline_admin:edit", video.uuid)
    return TemplateResponse(
        request,
        "media_pipeline/admin/upload.html",
        {
            "form": form,
            "max_mb": uploads.media_settings().max_upload_bytes >> 20,
            "chunk_bytes": min(4 << 20, uploads.media_settings().max_chunk_bytes),
            "schools": schools,
        },
    )


# --- The resumable upload protocol (uploads.py) ------------------------------------------


def _upload_state(upload) -> dict:
    state = {
        "id": str(upload.token),
        "offset": uploads.received_bytes(upload) if upload.video_id is None else upload.size,
        "size": upload.size,
        "chunk_bytes": min(4 << 20, uploads.media_settings().max_chunk_bytes),
        "url": reverse("media_pipeline_admin:upload_chunk", args=[upload.token]),
    }
    if upload.video_id is not None:
        state.update(_video_state(upload.video))
    return state


def _video_state(video: LectureVideo) -> dict:
    rejected = video.status == VideoStatus.REJECTED
    return {
        "video": str(video.uuid),
        "status": video.status,
        "status_label": str(video.get_status_display()),
        "error": video.rejection_reason() if rejected else "",
        "edit_url": "" if rejected else reverse("media_pipeline_admin:edit", args=[video.uuid]),
        "status_url": "" if rejected else reverse("media_pipeline_admin:status", args=[video.uuid]),
    }


@require_POST
def upload_start(request: HttpRequest) -> JsonResponse:
    if not may_upload(request.user):
        return _json_error("forbidden", _("You may not upload lecture videos."), 403)
    schools = upload_schools(request.user)
    school = None
    if schools:
        wanted = request.POST.get("school") or str(schools[0].pk)
        school = next((s for s in schools if str(s.pk) == wanted), None)
        if school is None:
            return _json_error("school", _("Choose one of your schools."))
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return _json_error("size", _("The size of the file is missing."))
    try:
        upload = uploads.start_upload(
            actor=request.user,
            title=request.POST.get("title", ""),
            filename=request.POST.get("filename", ""),
            size=size,
            school=school,
        )
    except PermissionDenied:
        return _json_error("forbidden", _("You may not upload lecture videos."), 403)
    except MediaError as exc:
        logger.info("Upload refused for user %s: %s", request.user.pk, exc.code)
        return _json_error(exc.code, exc.render())
    return JsonResponse(_upload_state(upload), status=201)


@require_http_methods(["GET", "HEAD", "PUT", "DELETE"])
def upload_chunk(request: HttpRequest, token) -> JsonResponse:
    upload = uploads.get_upload(request.user, token)
    if upload is None or not may_upload(request.user):
        return _json_error("not_found", _("This upload does not exist or has expired; please start again."), 404)
    if request.method in ("GET", "HEAD"):
        return JsonResponse(_upload_state(upload))
    if request.method == "DELETE":
        if upload.video_id is None:
            uploads.abort_upload(upload)
        return JsonResponse({"deleted": True})
    try:
        offset = int(request.GET.get("offset", ""))
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _json_error("offset", _("The upload sent a piece without its position."))
    try:
        uploads.append_chunk(upload, offset=offset, stream=request, length=length)
    except uploads.OffsetMismatch as exc:
        upload.refresh_from_db()
        state = {**_upload_state(upload), "offset": exc.expected}  # with the video, if it is already finished
        message = _("The upload continues from where the server stopped.")
        return JsonResponse({"code": "offset_mismatch", "error": message, **state}, status=409)
    except MediaError as exc:
        logger.info("Upload %s chunk at %s refused: %s", upload.token, offset, exc.code)
        return _json_error(exc.code, exc.render(), offset=uploads.received_bytes(upload))
    upload.refresh_from_db()
    return JsonResponse(_upload_state(upload))


# --- One video: follow, retry, cancel, captions, delete ------------------------------------


@require_GET
def edit(request: HttpRequest, video_uuid) -> HttpResponse:
    video = _editable(request, video_uuid)
    return TemplateResponse(
        request,
        "media_pipeline/admin/edit.html",
        {
            "video": video,
            "job": services.latest_job(video),
            "captions": list(video.captions.all()),
            "caption_form": CaptionForm(),
            "state": json.dumps(status_payload(video)),
        },
    )


def status_payload(video: LectureVideo) -> dict:
    job = services.latest_job(video)
    payload = {
        "status": video.status,
        "status_label": str(video.get_status_display()),
        "playable": video.is_playable,
        "rejection": video.rejection_reason() if video.status == VideoStatus.REJECTED else "",
        "job": None,
    }
    if job is not None:
        payload["job"] = {
            "state": job.state,
            "state_label": str(job.get_state_display()),
            "progress": job.progress,
            "attempts": job.attempts,
            "max_attempts": job.max_attempts,
            "active": job.state in ACTIVE_JOB_STATES,
            "error": job.error.split("\n\n", 1)[0] if job.error else "",
        }
    return payload


@require_GET
def status(request: HttpRequest, video_uuid) -> JsonResponse:
    video = _editable(request, video_uuid)
    response = JsonResponse(status_payload(video))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def transcode(request: HttpRequest, video_uuid) -> HttpResponse:
    video = _editable(request, video_uuid)
    try:
        services.enqueue_transcode(video, actor=request.user)
        messages.success(request, _("The conversion has been queued."))
    except ValueError:
        messages.error(request, _("This upload was refused; please upload the file again."))
    return redirect("media_pipeline_admin:edit", video.uuid)


@require_POST
def cancel(request: HttpRequest, video_uuid) -> HttpResponse:
    video = _editable(request, video_uuid)
    if services.cancel_transcode(video, actor=request.user) is None:
        messages.info(request, _("There is no conversion to cancel."))
    else:
        messages.success(request, _("The conversion is being cancelled."))
    return redirect("media_pipeline_admin:edit", video.uuid)


@require_POST
def caption_add(request: HttpRequest, video_uuid) -> HttpResponse:
    video = _editable(request, video_uuid)
    form = CaptionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_caption(
                video,
                language=form.cleaned_data["language"],
                label=form.cleaned_data["label"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
            )
        except MediaError as exc:
            form.add_error("file", exc.render())
        else:
            messages.success(request, _("The captions were added."))
            return redirect("media_pipeline_admin:edit", video.uuid)
    return TemplateResponse(
        request,
        "media_pipeline/admin/edit.html",
        {
            "video": video,
            "job": services.latest_job(video),
            "captions": list(video.captions.all()),
            "caption_form": form,
            "state": json.dumps(status_payload(video)),
        },
        status=400,
    )


@require_POST
def caption_delete(request: HttpRequest, video_uuid, language: str) -> HttpResponse:
    video = _editable(request, video_uuid)
    caption = video.captions.filter(language=language).first()
    if caption is None:
        raise Http404
    services.remove_caption(video, language=language, actor=request.user)
    messages.success(request, _("The captions were removed."))
    return redirect("media_pipeline_admin:edit", video.uuid)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, video_uuid) -> HttpResponse:
    video = _editable(request, video_uuid)
    if request.method == "POST":
        title = video.title
        services.delete_video(video, actor=request.user)
        messages.success(request, _("“%(title)s” and all its files were deleted.") % {"title": title})
        return redirect("media_pipeline_admin:index")
    return TemplateResponse(request, "media_pipeline/admin/delete.html", {"video": video})
