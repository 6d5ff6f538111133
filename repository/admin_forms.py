from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from repository.validation import curriculum_tag_errors


class MaterialPageForm(WagtailAdminPageForm):
    """Checks the curriculum tags together, with the values the author chose in this form,
    and that every lecture video chosen is one the author may use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_curriculum_choices()
        if "video" in self.fields and self.for_user is not None:
            from media_pipeline.access import videos_visible_to

            current = getattr(self.instance, "video_id", None)
            allowed = videos_visible_to(self.for_user)
            if current:
                allowed = allowed | allowed.model._default_manager.filter(pk=current)  # keep what is saved
            self.fields["video"].queryset = allowed.distinct()

    def _label_curriculum_choices(self) -> None:
        """Topics and outcomes are listed with their subject and grade: "Phân số" alone exists in several grades."""
        if "topics" in self.fields:
            field = self.fields["topics"]
            field.queryset = field.queryset.select_related("subject", "grade", "parent")
            field.label_from_instance = lambda t: " – ".join(
                filter(None, [f"{t.subject.name} {t.grade.number}", t.parent.name if t.parent else "", t.name])
            )
        if "outcomes" in self.fields:
            field = self.fields["outcomes"]
            field.queryset = field.queryset.select_related("topic__subject", "topic__grade")
            field.label_from_instance = lambda o: (
                f"{o.topic.subject.name} {o.topic.grade.number} – {o.topic.name}: {o.text[:120]}"
            )

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
        self._check_body_questions(cleaned.get("body"))
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

    def _check_body_questions(self, body) -> None:
        """Only questions the author may use (approved and shared with them, or their own) go into a material."""
        if body is None or self.for_user is None or "body" in self.errors:
            return
        from lms.access import can

        for block in body:
            if block.block_type != "question_set":
                continue
            for question in block.value.get("questions") or []:
                if question is None or question.owner_id == self.for_user.pk:
                    continue
                if not can(self.for_user, "question.use", question):
                    self.add_error(
                        None,
                        _("You may not use the question “%(question)s” from the question bank.")
                        % {"question": str(question)},
                    )
                    return
