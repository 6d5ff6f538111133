from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import ModelLogEntry

from media_pipeline.models import LectureVideo


@hooks.register("register_log_actions")
def register_media_log_actions(actions):
    actions.register_model(LectureVideo, ModelLogEntry)
    actions.register_action("media.video.upload", _("Upload lecture video"), _("Lecture video uploaded"))
    actions.register_action("media.video.reject", _("Reject lecture video"), _("Lecture video rejected"))
    actions.register_action(
        "media.video.transcode", _("Convert lecture video"), _("Lecture video conversion requested")
    )
    actions.register_action("media.video.cancel", _("Cancel conversion"), _("Lecture video conversion cancelled"))
    actions.register_action("media.video.delete", _("Delete lecture video"), _("Lecture video deleted"))
    actions.register_action("media.caption.add", _("Add captions"), _("Captions added"))
    actions.register_action("media.caption.remove", _("Remove captions"), _("Captions removed"))


@hooks.register("register_admin_urls")
def register_lecture_video_admin_urls():
    from media_pipeline import admin_urls

    return [path("lecture-videos/", include((admin_urls.urlpatterns, "media_pipeline_admin")))]


class LectureVideosMenuItem(MenuItem):
    def is_shown(self, request):
        from media_pipeline.admin_views import may_upload

        return may_upload(request.user)


@hooks.register("register_admin_menu_item")
def register_lecture_videos_menu_item():
    return LectureVideosMenuItem(
        _("Lecture videos"), reverse("media_pipeline_admin:index"), icon_name="media", order=350
    )
