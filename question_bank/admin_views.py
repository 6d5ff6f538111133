"""Admin pages of the bank besides the snippet views: the student preview and the file import.

Import has three steps: upload (the file is read, nothing saved) → a preview listing every
question that will be imported and every one rejected with its line and reason → confirm,
which saves each question on its own transaction and shows the report. Between the steps the
upload waits in Django's default storage (local disk or S3) under a random name kept in the
session, and is deleted once imported.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms import access
from lms.curriculum.models import Grade, Subject
from question_bank import services
from question_bank.access import authoring_schools
from question_bank.importing import import_into_bank, parse, rows_of
from question_bank.ir import split_category_path
from question_bank.models import CognitiveLevel, Question, SharingScope
from question_bank.rendering import student_view

MAX_BYTES = 10 * 1024 * 1024
SESSION_KEY = "question_bank_import"
FORMAT_CHOICES = [("gift", "GIFT (Moodle)"), ("moodle-xml", "Moodle XML"), ("aiken", "Aiken")]


def preview(request, pk: int):
    """A question's current version as students will see it (math rendered by the site's KaTeX)."""
    question = access.get_object_or_404_for(
        request.user, "question.view", Question.objects.select_related("current_version", "level"), pk=pk
    )
    if question.current_version is None:
        raise Http404
    content = question.current_version.content
    return TemplateResponse(
        request,
        "question_bank/preview.html",
        {"question": question, "version": question.current_version, "view": student_view(content)},
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Question file"), help_text=gettext_lazy("At most 10 MB."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES)
    category = forms.CharField(
        label=gettext_lazy("Put under category"),
        required=False,
        help_text=gettext_lazy("A path such as Toán 6/Chương 1; the file's own categories go below it."),
    )
    sharing_scope = forms.ChoiceField(
        label=gettext_lazy("Share with"), choices=SharingScope.choices, initial=SharingScope.SCHOOL
    )
    subject = forms.ModelChoiceField(label=gettext_lazy("Subject"), queryset=Subject.objects.all(), required=False)
    grade = forms.ModelChoiceField(label=gettext_lazy("Grade"), queryset=Grade.objects.all(), required=False)
    level = forms.ModelChoiceField(
        label=gettext_lazy("Cognitive level"),
        queryset=CognitiveLevel.objects.select_related("scheme"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def _options_from(form: ImportForm) -> dict:
    data = form.cleaned_data
    return {
        "format": data["format"],
        "category": data["category"],
        "sharing_scope": data["sharing_scope"],
        "subject": data["subject"].pk if data["subject"] else None,
        "grade": data["grade"].pk if data["grade"] else None,
        "level": data["level"].pk if data["level"] else None,
    }


def import_questions_view(request):
    user = request.user
    schools = authoring_schools(user)
    if not schools:
        raise Http404
    school = schools[0]
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST" and "confirm" in request.POST:
        if not pending or request.POST.get("token") != pending.get("token"):
            messages.error(request, _("This import has expired; upload the file again."))
            return redirect("question_bank_admin:import")
        return _confirm(request, pending, school)
    context = {"school": school}
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            report = parse(form.cleaned_data["format"], data)
            token = uuid.uuid4().hex
            if pending:
                default_storage.delete(pending["path"])
            path = default_storage.save(f"question-imports/{token}", ContentFile(data))
            request.session[SESSION_KEY] = {"token": token, "path": path, **_options_from(form)}
            context.update(rows=rows_of(report), report=report, token=token)
            context["file_error"] = any(r.line_or_element == 0 for r in report.rejected)
    else:
        form = ImportForm()
    context["form"] = form
    return TemplateResponse(request, "question_bank/admin/import.html", context)


def _confirm(request, pending: dict, school):
    try:
        with default_storage.open(pending["path"], "rb") as handle:
            data = handle.read()
    except OSError:
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect("question_bank_admin:import")
    base = None
    if pending.get("category"):
        base = services.category_for_path(school, split_category_path(pending["category"]))
    metadata = {
        "subject": Subject.objects.filter(pk=pending.get("subject")).first(),
        "grade": Grade.objects.filter(pk=pending.get("grade")).first(),
        "level": CognitiveLevel.objects.filter(pk=pending.get("level")).first(),
    }
    try:
        result = import_into_bank(
            format_name=pending["format"],
            data=data,
            actor=request.user,
            school=school,
            base_category=base,
            sharing_scope=pending["sharing_scope"],
            metadata={k: v for k, v in metadata.items() if v is not None},
        )
    except PermissionDenied:
        raise Http404 from None
    default_storage.delete(pending["path"])
    request.session.pop(SESSION_KEY, None)
    return TemplateResponse(request, "question_bank/admin/import_done.html", {"result": result})
