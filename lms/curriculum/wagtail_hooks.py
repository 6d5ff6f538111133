"""The curriculum in the Wagtail admin: browse subjects, extend topics and outcomes, import a CSV."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.curriculum import admin_views
from lms.curriculum.models import Outcome, Subject, SubjectOffering, Topic


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "doc-full"
    menu_label = _("Subjects")
    list_display = ["name", "slug", "assessment", "is_activity"]
    list_filter = ["assessment", "is_activity"]
    search_fields = ["name", "slug"]
    search_backend_name = None


class OfferingViewSet(SnippetViewSet):
    model = SubjectOffering
    icon = "table"
    menu_label = _("Subjects by grade")
    list_display = ["subject", "grade", "kind", "periods_per_year"]
    list_filter = ["grade", "kind", "subject"]
    list_per_page = 50


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "list-ul"
    menu_label = _("Topics")
    list_display = ["name", "code", "subject", "grade", "source"]
    list_filter = ["subject", "grade", "source", "is_special_topic"]
    search_fields = ["name", "code"]
    search_backend_name = None
    list_per_page = 50


class OutcomeViewSet(SnippetViewSet):
    model = Outcome
    icon = "tick-inverse"
    menu_label = _("Required outcomes")
    list_display = ["text", "code", "topic", "unverified", "source"]
    list_filter = ["topic__subject", "topic__grade", "source", "unverified"]
    search_fields = ["text", "code"]
    search_backend_name = None
    list_per_page = 50


class CurriculumGroup(SnippetViewSetGroup):
    items = (SubjectViewSet, OfferingViewSet, TopicViewSet, OutcomeViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Curriculum")
    menu_name = "curriculum"
    menu_order = 800


register_snippet(CurriculumGroup)


@hooks.register("register_admin_urls")
def register_curriculum_admin_urls():
    return [path("curriculum/import/", admin_views.import_csv, name="curriculum_import_csv")]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_edit_curriculum(request.user)


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return _ImportMenuItem(
        _("Import curriculum (CSV)"), reverse("curriculum_import_csv"), icon_name="upload", order=900
    )
