"""Questions in the Wagtail admin: a snippet view set whose rights are the bank's access rules.

* :class:`QuestionPermissionPolicy` answers Wagtail's "may this user add/change/view/delete"
  from :mod:`question_bank.access`, so the admin and the services never disagree. Nobody but a
  superuser deletes (attempts and papers keep the versions they used).
* The listing shows only ``questions_visible_to(user)``; opening a question one may not see is a
  404, the same as a missing one.
* Saving calls :mod:`question_bank.services` (new version on new content, status changes checked).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    HistoryView,
    IndexView,
    SnippetViewSet,
    UsageView,
)

from lms import access
from lms.curriculum.models import Grade, Subject, Topic
from lms.text import fold
from question_bank import services
from question_bank.access import BANK_ROLES, authoring_schools, questions_visible_to
from question_bank.admin_forms import QuestionForm
from question_bank.labels import type_choices, type_label
from question_bank.models import CognitiveLevel, Question, QuestionStatus

FIELDS = ("category", "sharing_scope", "subject", "grade", "topic", "outcome", "level", "idnumber")


class QuestionPermissionPolicy(BasePermissionPolicy):
    def _active(self, user) -> bool:
        return bool(user and user.is_authenticated and user.is_active)

    def user_has_permission(self, user, action):
        if not self._active(user):
            return False
        if user.is_superuser:
            return True
        if action == "add":
            return bool(authoring_schools(user))
        if action in ("change", "view"):
            return any(m.role in BANK_ROLES for m in access.memberships(user))
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if not self._active(user):
            return False
        if action == "change":
            return access.can(user, "question.edit", instance)
        if action == "view":
            return access.can(user, "question.view", instance)
        if action == "delete":
            return user.is_superuser
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self._active(user):
            return Question.objects.none()
        if user.is_superuser:
            return Question.objects.all()
        if "view" in actions or "change" in actions:
            return questions_visible_to(user)
        return Question.objects.none()

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, memberships__role__in=BANK_ROLES).distinct()


class QuestionFilterSet(WagtailFilterSet):
    text = django_filters.CharFilter(label=_("Text"), method="filter_text")
    qtype = django_filters.ChoiceFilter(label=_("Type"), field_name="current_version__qtype", choices=type_choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QuestionStatus.choices)
    level = django_filters.ModelChoiceFilter(
        label=_("Cognitive level"), queryset=CognitiveLevel.objects.select_related("scheme"), method="filter_level"
    )
    subject = django_filters.ModelChoiceFilter(label=_("Subject"), queryset=Subject.objects.all())
    grade = django_filters.ModelChoiceFilter(label=_("Grade"), queryset=Grade.objects.all())
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=Topic.objects.all(), method="filter_topic")
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags__name", distinct=True)

    class Meta:
        model = Question
        fields = []

    def filter_text(self, queryset, name, value):
        folded = fold(value.strip())
        if not folded:
            return queryset
        return queryset.filter(current_version__search_text__contains=folded)

    def filter_level(self, queryset, name, value):
        return queryset.filter(level_id__in=services.equivalent_levels(value)) if value else queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(Q(topic=value) | Q(topic__parent=value)) if value else queryset


class TypeColumn(Column):
    def get_value(self, instance):
        version = instance.current_version
        return type_label(version.qtype) if version is not None else ""


class QuestionIndexView(IndexView):
    def get_base_queryset(self):
        return (
            questions_visible_to(self.request.user)
            .select_related("current_version", "level", "subject", "grade")
            .prefetch_related("tags")
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.insert(
            0,
            ListingButton(
                _("Preview as students see it"),
                url=reverse("question_bank_admin:preview", args=[instance.pk]),
                icon_name="view",
                priority=1,
            ),
        )
        return buttons


class _SavesThroughServices:
    def _metadata(self):
        return {name: self.form.cleaned_data.get(name) for name in FIELDS if name in self.form.cleaned_data}

    def _form_error(self, exc):
        if isinstance(exc, PermissionDenied):
            self.form.add_error(None, _("You may not make this change."))
        else:
            self.form.add_error(None, exc)


class QuestionCreateView(_SavesThroughServices, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data["content"]
        metadata = self._metadata()
        return services.create_question(
            actor=self.request.user,
            data=data,
            status=self.form.cleaned_data.get("status") or QuestionStatus.DRAFT,
            tags=self.form.cleaned_data.get("tags") or [],
            **metadata,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as exc:
            self.form = form
            self._form_error(exc)
            return self.form_invalid(form)


def _checked(user, obj, action: str):
    """The object if ``user`` may do ``action``; 404 if they may not even see it, else 403."""
    if not access.can(user, "question.view", obj):
        raise Http404
    if action != "question.view" and not access.can(user, action, obj):
        raise PermissionDenied
    return obj


class QuestionEditView(_SavesThroughServices, EditView):
    # Colleagues who may only use a shared question preview it; the form is for its editors.
    def get_object(self, queryset=None):
        return _checked(self.request.user, super().get_object(queryset), "question.edit")

    def save_instance(self):
        question = Question.objects.get(pk=self.object.pk)
        user = self.request.user
        data = self.form.cleaned_data.get("content")
        if data is not None:
            services.edit_question(question, actor=user, data=data)
            question.refresh_from_db()
        services.update_question(question, actor=user, tags=self.form.cleaned_data.get("tags"), **self._metadata())
        status = self.form.cleaned_data.get("status")
        if status and status != question.status:
            services.set_status(question, actor=user, status=status)
        return question

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as exc:
            self.form = form
            self._form_error(exc)
            return self.form_invalid(form)


class QuestionHistoryView(HistoryView):
    def get_object(self):
        return _checked(self.request.user, super().get_object(), "question.view")


class QuestionUsageView(UsageView):
    def get_object(self):
        return _checked(self.request.user, super().get_object(), "question.view")


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    add_to_admin_menu = True
    menu_order = 250
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    history_view_class = QuestionHistoryView
    usage_view_class = QuestionUsageView
    filterset_class = QuestionFilterSet
    list_per_page = 50
    list_display = [
        "__str__",
        TypeColumn("qtype", label=_("Type")),
        "status",
        "level",
        "subject",
        "grade",
        UpdatedAtColumn(),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("content"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("subject"), FieldPanel("grade")]),
                    FieldPanel("topic"),
                    FieldPanel("outcome"),
                    FieldPanel("level"),
                ],
                heading=_("Curriculum and cognitive level"),
            ),
            FieldRowPanel([FieldPanel("category"), FieldPanel("idnumber")]),
            FieldPanel("tags"),
            FieldRowPanel([FieldPanel("sharing_scope"), FieldPanel("status")]),
        ],
        base_form_class=QuestionForm,
    )
