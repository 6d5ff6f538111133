"""Forms of the course pages: they validate input; the actions in ``courses.services`` do the work."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Assignment, ItemKind
from courses.models.assignments import SubmissionType
from lms.curriculum.models import SubjectOffering
from lms.orgs.models import SchoolClass


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OfferingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.subject.name} – {obj.grade}"


class CourseForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_("School"))
    offering = OfferingChoice(queryset=None, label=_("Subject and grade"))
    school_class = forms.ModelChoiceField(queryset=None, label=_("Class"), required=False)
    school_year = forms.RegexField(
        regex=r"^\d{4}-\d{4}$", label=_("School year"), help_text=_("For example 2026-2027.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        from lms.orgs.models import Organisation

        self.fields["school"].queryset = Organisation.objects.filter(pk__in=[s.pk for s in schools])
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
        levels = [lv for s in schools for lv in s.school_levels.all()]
        self.fields["offering"].queryset = (
            SubjectOffering.objects.filter(grade__level__in=levels)
            .select_related("subject", "grade")
            .order_by("grade__number", "subject__order")
        )
        self.fields["school_class"].queryset = SchoolClass.objects.filter(school__in=schools).order_by(
            "-school_year", "name"
        )
        year = timezone.localdate().year
        start = year if timezone.localdate().month >= 8 else year - 1
        self.fields["school_year"].initial = f"{start}-{start + 1}"


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MaterialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ItemForm(forms.Form):
    # Quizzes are made with their questions by the quiz engine (courses.attempts.create_quiz), not here.
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(kind.value, kind.label) for kind in (ItemKind.LESSON, ItemKind.ASSIGNMENT)],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    material = MaterialChoice(
        queryset=None,
        label=_("Material from the library"),
        required=False,
        help_text=_("Approved materials you may use, and your own published ones."),
    )
    available_from = forms.DateTimeField(label=_("Available from"), required=False, widget=DateTimeLocal())
    available_until = forms.DateTimeField(label=_("Available until"), required=False, widget=DateTimeLocal())
    prerequisites = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Complete first"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_visible = forms.BooleanField(label=_("Visible to students"), required=False, initial=True)
    submission_type = forms.ChoiceField(
        label=_("What students hand in"), choices=SubmissionType.choices, initial=SubmissionType.EITHER
    )
    due_at = forms.DateTimeField(label=_("Due"), required=False, widget=DateTimeLocal())
    accept_late = forms.BooleanField(label=_("Accept late submissions"), required=False, initial=True)
    allow_resubmission = forms.BooleanField(label=_("Students may hand in again"), required=False, initial=True)
    max_file_mb = forms.IntegerField(label=_("Largest file (MB)"), min_value=1, max_value=50, initial=10)

    def __init__(self, *args, course, materials, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = materials
        others = course.items.all()
        if item is not None:
            others = others.exclude(pk=item.pk)
            self.fields["kind"].disabled = True
            self.fields["kind"].choices = ItemKind.choices  # an existing quiz keeps its kind
        self.fields["prerequisites"].queryset = others

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.LESSON and not data.get("material"):
            self.add_error("material", _("Choose a material from the library."))
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end <= start:
            self.add_error("available_until", _("The end must be after the start."))
        return data

    def assignment_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "submission_type": data["submission_type"],
            "due_at": data.get("due_at"),
            "accept_late": data.get("accept_late", False),
            "allow_resubmission": data.get("allow_resubmission", False),
            "max_file_mb": data.get("max_file_mb") or 10,
        }


class SubmissionForm(forms.Form):
    text = forms.CharField(label=_("Your work"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment.submission_type == SubmissionType.TEXT:
            del self.fields["file"]
        elif assignment.submission_type == SubmissionType.FILE:
            del self.fields["text"]
        if "file" in self.fields:
            self.fields["file"].help_text = _("Up to %(mb)s MB: %(types)s.") % {
                "mb": assignment.max_file_mb,
                "types": ", ".join(assignment.extensions),
            }
            self.fields["file"].widget.attrs["accept"] = ",".join(f".{e}" for e in assignment.extensions)


class GradeForm(forms.Form):
    score = forms.CharField(label=_("Score (0–10)"), required=False, max_length=6)
    comment_result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", "—"), ("dat", _("Achieved (Đạt)")), ("chua-dat", _("Not yet achieved (Chưa đạt)"))],
    )
    feedback = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    return_for_changes = forms.BooleanField(label=_("Return for changes (the student hands in again)"), required=False)

    def __init__(self, *args, comment_assessed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if comment_assessed:
            del self.fields["score"]
        else:
            del self.fields["comment_result"]

    def clean_score(self):
        from courses.gradebook import ScoreError, parse_score
        from courses.grading import score_error_message

        raw = self.cleaned_data.get("score", "").strip()
        if not raw:
            return None
        try:
            return parse_score(raw)
        except ScoreError as error:
            raise forms.ValidationError(score_error_message(error)) from None


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Course code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class EnrolOneForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username or personal ID number"), max_length=150, help_text=_("A student of this school.")
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Class list (.xlsx or .csv)"),
        help_text=_("Columns: Mã định danh or Tên đăng nhập, and Họ và tên. The first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
