from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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
