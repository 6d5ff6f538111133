"""Editor panels of the library's materials."""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from lms.access import can


class VideoConversionPanel(Panel):
    """The chosen lecture video's conversion, followed live in the material editor.

    A teacher who has just uploaded a video (from the chooser's upload tab) saves
    the material and sees the conversion advance here, without leaving the
    editor; the page is not reloaded when it finishes, so nothing typed is lost.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Video conversion"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "repository/panels/video_conversion.html"

        def is_shown(self):
            return getattr(self.instance, "video_id", None) is not None

        def get_context_data(self, parent_context=None):
            from media_pipeline.admin_views import status_payload
            from media_pipeline.services import latest_job

            context = super().get_context_data(parent_context)
            video = self.instance.video
            payload = status_payload(video)
            context.update(
                video=video,
                job=latest_job(video),
                state=json.dumps(payload),
                # Only those who may change the video read its job's status endpoint.
                may_follow=can(self.request.user, "video.edit", video),
            )
            return context
