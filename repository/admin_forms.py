from wagtail.admin.forms import WagtailAdminPageForm

from repository.validation import curriculum_tag_errors


class MaterialPageForm(WagtailAdminPageForm):
    """Checks the curriculum tags together, with the values the author chose in this form."""

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
        return cleaned
