"""The one door to a lecture video's files: check access, then serve, hand off or redirect.

* Playlists and captions (small text) are read from storage and answered here,
  so the relative URIs inside them resolve back to this view on every backend.
* Segments, the MP4 and pictures on **local disk**: streamed by Django, or, when
  ``MEDIA_ACCEL_REDIRECT_PREFIX`` is set, handed to nginx with
  ``X-Accel-Redirect`` (an ``internal`` location aliasing MEDIA_ROOT), so Django
  only decides and nginx sends the bytes (with Range support).
* On **S3**: a redirect to a short-lived signed URL of the private object.

Missing and forbidden answer the same 404. Only the current generation, the
video's captions, and (for editors) the original are reachable.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from lms.access import can
from lms.text import slugify_vi
from media_pipeline.access import get_video_for
from media_pipeline.conf import media_settings
from media_pipeline.models import LectureVideo
from media_pipeline.storage import cache_control_for, content_type_for, get_storage, supports_local_paths
from media_pipeline.transcode import DOWNLOAD

TEXT_SUFFIXES = (".m3u8", ".vtt")


@require_safe
def video_file(request: HttpRequest, video_uuid, path: str) -> HttpResponse:
    video = get_video_for(request.user, "video.view", video_uuid)
    name = storage_name(request.user, video, path)
    conf = media_settings()
    storage = get_storage()
    content_type = content_type_for(name)
    download_name = _download_name(video) if name == video.output_prefix + DOWNLOAD else None
    cache_control = cache_control_for(name)

    if name.endswith(TEXT_SUFFIXES):
        try:
            with storage.open(name, "rb") as fh:
                response = HttpResponse(fh.read(), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
    elif supports_local_paths(storage):
        if not storage.exists(name):
            raise Http404
        if conf.accel_redirect_prefix:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = conf.accel_redirect_prefix.rstrip("/") + "/" + quote(name)
            if download_name:
                response["Content-Disposition"] = content_disposition_header(True, download_name)
        else:
            response = FileResponse(
                storage.open(name, "rb"),
                content_type=content_type,
                as_attachment=bool(download_name),
                filename=download_name or "",
            )
    else:
        params = None
        if download_name:
            params = {"ResponseContentDisposition": content_disposition_header(True, download_name)}
        url = storage.url(name, parameters=params, expire=conf.signed_url_seconds)
        response = HttpResponseRedirect(url)
        # The browser may reuse the redirect, but not beyond the signature's life.
        cache_control = f"private, max-age={max(0, min(300, conf.signed_url_seconds // 2))}"
    response["Cache-Control"] = cache_control
    if not video.is_published:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def watch(request: HttpRequest, video_uuid) -> HttpResponse:
    """A page with just the player: for the admin's preview, links to a lecture, and the browser tests."""
    video = get_video_for(request.user, "video.view", video_uuid)
    response = render(
        request, "media_pipeline/watch.html", {"video": video, "can_edit": can(request.user, "video.edit", video)}
    )
    if not video.is_published:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def storage_name(user, video: LectureVideo, path: str) -> str:
    """The storage name for ``path`` below the video's prefix, if it may be served; else 404."""
    if not path or "\\" in path or path.startswith("/") or posixpath.normpath(path) != path or ".." in path.split("/"):
        raise Http404
    full = video.prefix + path
    if path.startswith("original/"):
        if video.original and video.original.name == full and can(user, "video.edit", video):
            return full
        raise Http404
    if path.startswith("captions/"):
        if video.captions.filter(file=full).exists():
            return full
        raise Http404
    if video.output_prefix and full.startswith(video.output_prefix):
        return full
    raise Http404


def _download_name(video: LectureVideo) -> str:
    return f"{slugify_vi(video.title)[:80] or 'bai-giang'}.mp4"
