"""The lecture-video area of the Wagtail admin, mounted at ``admin/lecture-videos/`` (``wagtail_hooks``)."""

from django.urls import path

from media_pipeline import admin_views

app_name = "media_pipeline_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("upload/", admin_views.upload, name="upload"),
    path("uploads/", admin_views.upload_start, name="upload_start"),
    path("uploads/<uuid:token>/", admin_views.upload_chunk, name="upload_chunk"),
    path("<uuid:video_uuid>/", admin_views.edit, name="edit"),
    path("<uuid:video_uuid>/status/", admin_views.status, name="status"),
    path("<uuid:video_uuid>/transcode/", admin_views.transcode, name="transcode"),
    path("<uuid:video_uuid>/cancel/", admin_views.cancel, name="cancel"),
    path("<uuid:video_uuid>/captions/", admin_views.caption_add, name="caption_add"),
    path("<uuid:video_uuid>/captions/<str:language>/delete/", admin_views.caption_delete, name="caption_delete"),
    path("<uuid:video_uuid>/delete/", admin_views.delete, name="delete"),
]
