from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from question_bank import admin_views, blueprint_views  # noqa: F401 - blueprint_views registers its own hooks
from question_bank.access import authoring_schools
from question_bank.bulk_actions import AddTagsBulkAction, MoveBulkAction, SetStatusBulkAction
from question_bank.models import Question
from question_bank.viewsets import QuestionPermissionPolicy, QuestionViewSet

# Before the snippet registration, which would otherwise create a model-permission policy.
register_permission_policy(Question, QuestionPermissionPolicy(Question))
register_snippet(QuestionViewSet)

for _action in (SetStatusBulkAction, AddTagsBulkAction, MoveBulkAction):
    hooks.register("register_bulk_action", _action)


@hooks.register("register_admin_urls")
def register_question_bank_urls():
    urls = [
        path("questions/<int:pk>/preview/", admin_views.preview, name="preview"),
        path("import/", admin_views.import_questions_view, name="import"),
    ]
    return [path("question-bank/", include((urls, "question_bank_admin"), namespace="question_bank_admin"))]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(authoring_schools(request.user))


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return _ImportMenuItem(_("Import questions"), reverse("question_bank_admin:import"), icon_name="upload", order=251)


@hooks.register("register_log_actions")
def register_question_log_actions(actions):
    actions.register_model(Question, ModelLogEntry)
    actions.register_action("question_bank.question.create", _("Create question"), _("Question created"))
    actions.register_action("question_bank.question.edit", _("Edit question"), _("New question version"))
    actions.register_action(
        "question_bank.question.update", _("Change question details"), _("Question details changed")
    )
    actions.register_action("question_bank.question.status", _("Change question status"), _("Question status changed"))
