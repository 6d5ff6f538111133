"""Choosing a lecture video from the media pipeline while editing a material.

The chooser lists only the videos the editor may watch (their own, their
school's, published ones: ``media_pipeline.access.videos_visible_to``) and
never the rejected ones. The same viewset gives the page field its widget and
the body its StreamField block; the form checks the choice again on save, so a
tampered id of somebody else's draft video is refused (``admin_forms``).

Teachers also upload a new video without leaving the editor: the chooser's
"upload" tab takes the media pipeline's own upload form, checks the file with
ffprobe, starts the conversion and chooses the new video at once (it plays
once converted; the editor shows the conversion's progress). A refused file
comes back on the same tab with the reason, in Vietnamese.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, CreateView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from lms.access import can
from media_pipeline.access import upload_schools, videos_visible_to
from media_pipeline.admin_forms import UploadForm
from media_pipeline.models import VideoStatus


class _VisibleVideosMixin:
    def get_object_list(self):
        return videos_visible_to(self.request.user).exclude(status=VideoStatus.REJECTED).select_related("school")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("status", label=_("status"), accessor="get_status_display"),
            Column("duration", label=_("duration (seconds)"), accessor="duration"),
            Column("school", label=_("school"), accessor="school"),
        ]


class _UploadFormMixin:
    """The chooser's "upload" tab: the media pipeline's upload form, for those who may upload."""

    creation_form_class = UploadForm

    def can_create(self):
        return can(self.request.user, "video.upload", None)

    def get_creation_form_kwargs(self):
        return {**super().get_creation_form_kwargs(), "schools": upload_schools(self.request.user)}


class VideoChooseView(_UploadFormMixin, _VisibleVideosMixin, ChooseView):
    pass


class VideoChooseResultsView(_VisibleVideosMixin, ChooseResultsView):
    pass


class VideoUploadView(_UploadFormMixin, CreateView):
    def post(self, request):
        self.form = self.get_creation_form()
        if not self.form.is_valid():
            return self.get_reshow_creation_form_response()
        try:
            video = self.form.save(request.user)
        except PermissionDenied:  # a school the user does not upload for
            self.form.add_error(None, _("You cannot upload videos for this school."))
            return self.get_reshow_creation_form_response()
        if video.status == VideoStatus.REJECTED:  # the form carries the reason
            return self.get_reshow_creation_form_response()
        return self.get_chosen_response(video)


class LectureVideoChooserViewSet(ChooserViewSet):
    model = "media_pipeline.LectureVideo"
    icon = "media"
    choose_one_text = _("Choose a lecture video")
    choose_another_text = _("Choose another lecture video")
    edit_item_text = _("Edit this lecture video")
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    create_view_class = VideoUploadView
    creation_form_class = UploadForm
    create_action_label = _("Upload")
    create_action_clicked_label = _("Uploading and checking…")
    per_page = 20


lecture_video_chooser_viewset = LectureVideoChooserViewSet("lecture_video_chooser", url_prefix="lecture-video-chooser")

LectureVideoChooserBlock = lecture_video_chooser_viewset.get_block_class(
    name="LectureVideoChooserBlock", module_path="repository.choosers"
)
