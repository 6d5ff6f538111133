"""Serve a lecture video's files after an access check; include at ``media/videos/``.

    path("media/videos/", include("media_pipeline.urls")),

It must come before any catch-all that serves MEDIA_ROOT (Django's ``static()``
in DEBUG, or a web server ``location /media/``), or drafts would be served
without the check.
"""

from django.urls import path

from media_pipeline import views

app_name = "media_pipeline"

urlpatterns = [
    # Before the file pattern: "watch/" is not a file of the video.
    path("<uuid:video_uuid>/watch/", views.watch, name="watch"),
    path("<uuid:video_uuid>/<path:path>", views.video_file, name="file"),
]
