from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from repository.validation import curriculum_tag_errors


class MaterialPageForm(WagtailAdminPageForm):
    """Checks the curriculum tags together, with the values the author chose in this form,
    and that every lecture video chosen is one the author may use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "video" in self.fields and self.for_user is not None:
            from media_pipeline.access import videos_visible_to

            current = getattr(self.instance, "video_id", None)
            allowed = videos_visible_to(self.for_user)
            if current:
                allowed = allowed | type(allowed.model).objects.filter(pk=current)
            self.fields["video"].queryset = allowed.distinct()

    def clean(self):
        cleaned = super().clean()
        errors = curriculum_tag_errors(
            cleaned.get("subject"),
            cleaned.get("grades") or [],
            cleaned.get("topics") or [],
            cleaned.get("outcomes") or [],
        )
        for field, messages in errors.items():
            for message in messages:
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        self._check_body_videos(cleaned.get("body"))
        return cleaned

    def _check_body_videos(self, body) -> None:
        if body is None or self.for_user is None or "body" in self.errors:
            return
        from media_pipeline.access import can_view_video

        for block in body:
            if block.block_type != "video":
                continue
            video = block.value.get("video")
            if video is not None and not can_view_video(self.for_user, video):
                self.add_error(None, _("You may not use the lecture video “%(title)s”.") % {"title": video.title})
                return
