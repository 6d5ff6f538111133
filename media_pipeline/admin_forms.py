"""Forms of the lecture-video admin area."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.orgs.models import Organisation

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
LANGUAGE_LABELS = {"vi": "Tiếng Việt", "en": "English"}


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    school = forms.ModelChoiceField(label=_("School"), queryset=Organisation.objects.none(), required=False)
    file = forms.FileField(
        label=_("Video file"),
        help_text=_("MP4, WebM, MKV, MOV or AVI (or a sound recording); it is checked before it is accepted."),
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        schools = list(schools)
        self.fields["school"].queryset = Organisation.objects.filter(pk__in=[s.pk for s in schools])
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].required = True
        elif not schools:
            del self.fields["school"]
        else:
            self.fields["school"].required = True

    def save(self, actor):
        """Store the upload as ``actor``'s video (checked with ffprobe, queued for conversion).

        A refused file stays listed with its reason, which is also put on the form's file field.
        Raises ``PermissionDenied`` for a school ``actor`` does not upload for.
        """
        from media_pipeline import services
        from media_pipeline.models import VideoStatus

        video = services.create_video_from_upload(
            owner=actor,
            title=self.cleaned_data["title"],
            uploaded_file=self.cleaned_data["file"],
            school=self.cleaned_data.get("school"),
            actor=actor,
        )
        if video.status == VideoStatus.REJECTED:
            self.add_error("file", video.rejection_reason())
        return video


class CaptionForm(forms.Form):
    language = forms.CharField(
        label=_("Language"), max_length=20, initial="vi", help_text=_("A language code: vi, en, hmn…")
    )
    label = forms.CharField(label=_("Name shown in the player"), max_length=100, required=False)
    file = forms.FileField(label=_("Caption file (WebVTT or SRT)"))

    def clean_language(self):
        value = self.cleaned_data["language"].strip()
        if not LANGUAGE_CODE.match(value):
            raise forms.ValidationError(_("Use a language code such as vi or en."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("language") and not cleaned.get("label"):
            cleaned["label"] = LANGUAGE_LABELS.get(cleaned["language"], cleaned["language"])
        return cleaned
