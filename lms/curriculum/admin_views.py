"""Upload a curriculum CSV in the admin: preview every row and error, then confirm."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms import access
from lms.curriculum import csv_import

MAX_BYTES = 5 * 1024 * 1024


def may_edit_curriculum(user) -> bool:
    return access.can(user, "curriculum.edit", None)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), help_text=gettext_lazy("UTF-8, at most 5 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        return upload


class ConfirmForm(forms.Form):
    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES)


def import_csv(request):
    if not may_edit_curriculum(request.user):
        raise Http404
    context = {"columns": csv_import.COLUMNS}
    if request.method == "POST" and "confirm" in request.POST:
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            result = csv_import.parse(confirm.cleaned_data["content"])
            if result.ok:
                csv_import.apply(result)
                messages.success(
                    request,
                    _("Imported %(t)s topic(s) and %(o)s outcome(s).")
                    % {
                        "t": result.topics_created + result.topics_updated,
                        "o": result.outcomes_created + result.outcomes_updated,
                    },
                )
                return redirect("curriculum_import_csv")
            context.update(result=result, form=UploadForm())
            return TemplateResponse(request, "curriculum/admin/import.html", context)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            result = csv_import.parse(data)
            context["result"] = result
            if result.ok:
                context["confirm"] = ConfirmForm(initial={"content": data.decode("utf-8-sig", errors="replace")})
    else:
        form = UploadForm()
    context["form"] = form
    return TemplateResponse(request, "curriculum/admin/import.html", context)
