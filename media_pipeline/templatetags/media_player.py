"""``{% lecture_player video %}``: the adaptive player for a lecture video, for any template.

::

    {% load media_player %}
    {% lecture_player video %}
    {% lecture_player video caption="Bài 3: Phân số" title_level=3 %}

Renders, for the request's user, a ``<video>`` that plays the MP4 with its
``<track>`` captions even without JavaScript, and that ``player.js`` upgrades
to adaptive HLS (hls.js, or Safari's own) starting on the lowest rung, with a
quality menu, captions and speed controls; plus a download link. Every URL goes
through the access-checked view. A user who may not watch the video gets
nothing (an empty string); a video not ready yet gets a short status line.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from media_pipeline.access import can_view_video
from media_pipeline.models import LectureVideo
from media_pipeline.services import playback_urls

register = template.Library()


@register.simple_tag(takes_context=True)
def lecture_player(context, video: LectureVideo | None, caption: str = "", title_level: int = 0) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if video is None or user is None or not can_view_video(user, video):
        return ""
    playback = playback_urls(video, user)
    download_mb, rungs = None, []
    if playback is not None and playback.download_url:
        mp4 = next((r for r in video.renditions.all() if r.kind == "mp4_download"), None)
        if mp4 is not None and mp4.bitrate and playback.duration:
            download_mb = max(0.1, round(mp4.bitrate * playback.duration / 8 / 1024**2, 1))
        variants = [r for r in video.renditions.all() if r.kind == "hls_variant" and r.width and r.height]
        rungs = [{"size": f"{r.width}x{r.height}", "name": r.name} for r in sorted(variants, key=lambda r: r.height)]
    return render_to_string(
        "media_pipeline/player.html",
        {
            "video": video,
            "playback": playback,
            "caption": caption,
            "title_level": int(title_level or 0),
            "download_mb": download_mb,
            "rungs": rungs,
            "player_id": _player_id(request, video),
        },
        request=request,
    )


def _player_id(request, video: LectureVideo) -> str:
    """A unique id per player on the page (the same video may be shown twice)."""
    count = getattr(request, "_lecture_players", 0) + 1
    if request is not None:
        request._lecture_players = count
    return f"lecture-{video.uuid.hex[:12]}-{count}"
