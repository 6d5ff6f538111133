"""The project's URLs with the media view included where the lead will put it (media/videos/)."""

from django.urls import include, path

from lms.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("media/videos/", include("media_pipeline.urls")), *project_urlpatterns]
