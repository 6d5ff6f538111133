"""Bulk actions on questions in the admin listing: set status, add tags, move to a category.

Each runs the service for every selected question in one transaction: if any question refuses
(no right to approve it, a category of another school…), none is changed and the reason is
shown. Questions the user may not see are dropped from the selection silently (their titles are
not shown), the ones they see but may not change are listed as such.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from lms import access
from question_bank import services
from question_bank.access import questions_visible_to
from question_bank.admin_forms import categories_for
from question_bank.models import Question, QuestionCategory, QuestionStatus


class _QuestionBulkAction(SnippetBulkAction):
    template_name = "question_bank/admin/bulk_action.html"
    action_priority = 50
    permission = "question.edit"

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(Question.objects.filter(pk__in=[i for i in object_ids if str(i).isdigit()]))

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        visible = set(questions_visible_to(self.request.user).values_list("pk", flat=True))
        extra["items_with_no_access"] = [q for q in extra["items_with_no_access"] if q.pk in visible]
        return [q for q in objects if q.pk in visible], extra

    def check_perm(self, obj):
        return access.can(self.request.user, self.permission, obj)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user, "form": self.cleaned_form}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (PermissionDenied, ValidationError) as exc:
            reason = "; ".join(getattr(exc, "messages", [])) or str(_("You may not make this change."))
            messages.error(self.request, _("Nothing was changed: %(reason)s") % {"reason": reason})
            return self.form_invalid(form)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d question changed.", "%(count)d questions changed.", num_parent_objects) % {
            "count": num_parent_objects
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=QuestionStatus.choices)


class SetStatusBulkAction(_QuestionBulkAction):
    display_name = _("Set status")
    action_type = "set_status"
    aria_label = _("Set the status of the selected questions")
    form_class = StatusForm

    def check_perm(self, obj):
        user = self.request.user
        return access.can(user, "question.edit", obj) or access.can(user, "question.approve", obj)

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        status = form.cleaned_data["status"]
        with transaction.atomic():
            for question in objects:
                services.set_status(question, actor=user, status=status)
        return len(objects), 0


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("Tags to add"), help_text=_("Separate tags with commas."), max_length=1000)

    def clean_tags(self):
        tags = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        if not tags:
            raise forms.ValidationError(_("Give at least one tag."))
        return tags


class AddTagsBulkAction(_QuestionBulkAction):
    display_name = _("Add tags")
    action_type = "add_tags"
    aria_label = _("Add tags to the selected questions")
    form_class = TagsForm

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        return services.add_tags(objects, form.cleaned_data["tags"], actor=user), 0


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to category"), queryset=QuestionCategory.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["category"].queryset = categories_for(user)


class MoveBulkAction(_QuestionBulkAction):
    display_name = _("Move to category")
    action_type = "move_category"
    aria_label = _("Move the selected questions to a category")
    form_class = CategoryForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        return services.move_to_category(objects, form.cleaned_data["category"], actor=user), 0
