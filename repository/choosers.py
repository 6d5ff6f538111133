"""Choosing a lecture video from the media pipeline while editing a material.

The chooser lists only the videos the editor may watch (their own, their
school's, published ones: ``media_pipeline.access.videos_visible_to``) and
never the rejected ones. The same viewset gives the page field its widget and
the body its StreamField block; the form checks the choice again on save, so a
tampered id of somebody else's draft video is refused (``admin_forms``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from media_pipeline.access import videos_visible_to
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


class VideoChooseView(_VisibleVideosMixin, ChooseView):
    pass


class VideoChooseResultsView(_VisibleVideosMixin, ChooseResultsView):
    pass


class LectureVideoChooserViewSet(ChooserViewSet):
    model = "media_pipeline.LectureVideo"
    icon = "media"
    choose_one_text = _("Choose a lecture video")
    choose_another_text = _("Choose another lecture video")
    edit_item_text = _("Edit this lecture video")
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView
    per_page = 20


lecture_video_chooser_viewset = LectureVideoChooserViewSet("lecture_video_chooser", url_prefix="lecture-video-chooser")

LectureVideoChooserBlock = lecture_video_chooser_viewset.get_block_class(
    name="LectureVideoChooserBlock", module_path="repository.choosers"
)
