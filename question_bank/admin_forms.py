"""The admin's question form: metadata fields plus the content written as one GIFT question.

GIFT is what Moodle teachers already type, it expresses every type the bank has (the 2025
types through the GIFT extension comment the exporter writes), and the importer reports a
mistake by line. The form only validates: the admin views call :mod:`question_bank.services`.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms import access
from question_bank import formats
from question_bank.access import authoring_schools
from question_bank.formats.gift_writer import CannotWrite, write_question
from question_bank.ir import QuestionData
from question_bank.models import Question, QuestionCategory, QuestionStatus
from question_bank.services import bank_content


def gift_of(data: QuestionData) -> str:
    """One question as GIFT text (without category, tags and ID: they are fields of the form)."""
    return write_question(bank_content(data)).strip() + "\n"


def parse_one_gift(text: str) -> QuestionData:
    """Read exactly one question; a ``forms.ValidationError`` says what is wrong and on which line."""
    report = formats.import_questions("gift", text)
    if report.rejected:
        raise forms.ValidationError(
            [
                forms.ValidationError(
                    _("Line %(line)s: %(reason)s"), params={"line": r.line or "?", "reason": r.reason}, code=r.code
                )
                for r in report.rejected
            ]
        )
    if len(report.questions) != 1:
        raise forms.ValidationError(
            _("Write exactly one question here (found %(count)s)."), params={"count": len(report.questions)}
        )
    return report.questions[0]


def categories_for(user):
    """Categories a user may file questions in: their schools' and the shared ones."""
    if user.is_superuser:
        return QuestionCategory.objects.all()
    schools = [s.pk for s in authoring_schools(user)]
    schools += [m.organisation_id for m in access.memberships(user) if m.role == "school_admin"]
    return QuestionCategory.objects.filter(Q(school_id__in=schools) | Q(school__isnull=True))


class QuestionForm(WagtailAdminModelForm):
    content = forms.CharField(
        label=_("Question (GIFT format)"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "no-math", "spellcheck": "false"}),
        help_text=_(
            "Write the question in GIFT, as in Moodle: ::Title:: Question text {=right ~wrong ~wrong}. "
            "Math between $…$ or \\(…\\). Saving new content makes a new version."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "category",
            "sharing_scope",
            "status",
            "subject",
            "grade",
            "topic",
            "outcome",
            "level",
            "idnumber",
            "tags",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.user = for_user
        if self.instance.pk and self.instance.current_version_id:
            current = self.instance.current_version.content
            try:
                if current.files:
                    raise CannotWrite("embedded files")
                self.initial["content"] = gift_of(current)
            except CannotWrite:
                # Kept as it is: GIFT cannot say it (embedded files, a type GIFT lacks). Re-import to change it.
                self.fields["content"].disabled = True
                self.fields["content"].required = False
                self.fields["content"].help_text = _(
                    "This question has embedded files or a type GIFT cannot express: its content cannot be "
                    "edited here. Change it in Moodle XML and import it again."
                )
        if for_user is not None and "category" in self.fields:
            self.fields["category"].queryset = categories_for(for_user)
        if "status" in self.fields and for_user is not None and self.instance.pk:
            if not access.can(for_user, "question.approve", self.instance):
                allowed = [QuestionStatus.DRAFT, QuestionStatus.READY]
                if self.instance.status == QuestionStatus.APPROVED:
                    allowed.append(QuestionStatus.APPROVED)
                self.fields["status"].choices = [c for c in QuestionStatus.choices if c[0] in allowed]
        elif "status" in self.fields and not self.instance.pk:
            self.fields["status"].choices = [c for c in QuestionStatus.choices if c[0] != QuestionStatus.APPROVED]

    def clean_tags(self) -> list[str]:
        """Tags are separated by commas only: Vietnamese tags have spaces ("số học")."""
        raw = self.data.get(self.add_prefix("tags"), "") if self.is_bound else ""
        return list(dict.fromkeys(t.strip().strip('"').strip() for t in str(raw).split(",") if t.strip().strip('"')))

    def clean_content(self) -> QuestionData | None:
        if self.fields["content"].disabled:
            return None
        return parse_one_gift(self.cleaned_data["content"])
