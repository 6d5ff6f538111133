"""Learning materials as Wagtail pages.

The tree is: LibraryIndexPage (one, the library) → SchoolLibraryPage (one per school:
its authoring area) → material pages. Every kind of material is a subclass of the
concrete ``MaterialPage``, so the metadata shared by all kinds lives in one table and
browsing, counting, visibility and coverage are single queries over every kind.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from lms.curriculum.models import Grade, Outcome, Subject, Topic
from lms.orgs.models import Organisation
from lms.text import nfc, slugify_vi
from repository.admin_forms import MaterialPageForm
from repository.blocks import MaterialBodyBlock
from repository.panels import VideoConversionPanel
from repository.validation import curriculum_tag_errors


class SharingScope(models.TextChoices):
    PRIVATE = "private", _("Only me")
    SCHOOL = "school", _("My school")
    COMMUNE = "commune", _("My commune/ward")
    PROVINCE = "province", _("My province/city")
    NATIONAL = "national", _("Everyone (national)")


SCOPE_ORDER = [
    SharingScope.PRIVATE,
    SharingScope.SCHOOL,
    SharingScope.COMMUNE,
    SharingScope.PROVINCE,
    SharingScope.NATIONAL,
]


class TextbookSeries(models.TextChoices):
    KNTT = "ket-noi-tri-thuc", "Kết nối tri thức với cuộc sống"
    CTST = "chan-troi-sang-tao", "Chân trời sáng tạo"
    CANH_DIEU = "canh-dieu", "Cánh diều"
    NONE = "none", _("None / not tied to a textbook")


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.vi",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.vi",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/deed.vi",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.vi",
}


class MaterialLanguage(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"
    FR = "fr", "Français"
    ZH = "zh", "中文"
    JA = "ja", "日本語"
    KO = "ko", "한국어"
    RU = "ru", "Русский"
    DE = "de", "Deutsch"
    ETHNIC = "dtts", _("An ethnic minority language")


class LibraryIndexPage(Page):
    """The shared library (kho học liệu số). Browsing is served by repository.views."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["repository.SchoolLibraryPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("learning-materials library")


class SchoolLibraryPage(Page):
    """A school's authoring area: its teachers create materials here."""

    school = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="library_page",
        verbose_name=_("school"),
        limit_choices_to={"unit_type__is_school": True},
    )

    parent_page_types = ["repository.LibraryIndexPage"]
    subpage_types = [
        "repository.LessonPage",
        "repository.VideoLecturePage",
        "repository.DocumentPage",
        "repository.WorksheetPage",
        "repository.TestPaperPage",
        "repository.ExternalResourcePage",
    ]
    content_panels = [*Page.content_panels, FieldPanel("school")]

    class Meta:
        verbose_name = _("school library area")

    def serve(self, request, *args, **kwargs):
        # The area is an authoring folder, not a page people browse.
        raise Http404

    # Wagtail offers "submit" on a new page only when its parent has a workflow. A material's workflow
    # follows its sharing scope (MaterialPage.get_workflow), so the area answers with the workflow for a
    # new material's default scope rather than with whatever workflow is assigned to the page tree
    # (Wagtail's default one on the root page, absent after a flush or once an administrator removes it).
    def get_workflow(self):
        from repository.models.appraisal import workflow_for_scope

        return workflow_for_scope(MaterialPage._meta.get_field("sharing_scope").default)

    @property
    def has_workflow(self):
        return self.get_workflow() is not None


class MaterialPage(Page):
    """Metadata shared by every kind of material. Not created directly: use a kind below."""

    kind_label = _("Material")

    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="materials", verbose_name=_("subject"), null=True
    )
    grades = ParentalManyToManyField(Grade, related_name="materials", verbose_name=_("grades"))
    topics = ParentalManyToManyField(Topic, related_name="materials", verbose_name=_("topics"), blank=True)
    outcomes = ParentalManyToManyField(
        Outcome, related_name="materials", verbose_name=_("required outcomes"), blank=True
    )
    textbook_series = models.CharField(
        _("textbook series"), max_length=32, choices=TextbookSeries.choices, default=TextbookSeries.NONE
    )
    language = models.CharField(
        _("language"), max_length=8, choices=MaterialLanguage.choices, default=MaterialLanguage.VI
    )
    licence = models.CharField(_("licence"), max_length=32, choices=Licence.choices, default=Licence.CC_BY_SA)
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("Credit as it must appear, e.g. author and source of adapted work."),
    )
    author_name = models.CharField(_("author"), max_length=150, blank=True)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("school"),
        null=True,
        editable=False,
    )
    sharing_scope = models.CharField(
        _("share with"),
        max_length=16,
        choices=SharingScope.choices,
        default=SharingScope.SCHOOL,
        help_text=_("Wider sharing needs appraisal at more levels."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated duration (minutes)"), null=True, blank=True)
    # Who may see the live version: "" = everyone, an organisation path = members of that subtree,
    # NULL = only its author. Recomputed whenever the live row is saved (on publish).
    audience_path = models.CharField(  # noqa: DJ001 - NULL (author only) is not "" (everyone)
        max_length=255, null=True, blank=True, editable=False, db_index=True
    )
    view_count = models.PositiveIntegerField(default=0, editable=False)

    search_fields = [*Page.search_fields, index.SearchField("summary")]

    metadata_panels = [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("subject"), FieldPanel("textbook_series")]),
        FieldPanel("grades", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("licence"), FieldPanel("language")]),
                FieldPanel("attribution"),
                FieldPanel("author_name"),
            ],
            heading=_("Licence and attribution"),
        ),
        FieldRowPanel([FieldPanel("sharing_scope"), FieldPanel("estimated_minutes")]),
    ]

    parent_page_types = ["repository.SchoolLibraryPage"]
    subpage_types: list[str] = []
    is_creatable = False
    base_form_class = MaterialPageForm

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    # --- Validation -----------------------------------------------------------

    def clean(self) -> None:
        super().clean()
        self.title = nfc(self.title)
        self.summary = nfc(self.summary)
        self.attribution = nfc(self.attribution)
        errors: dict[str, list] = {}
        grades = list(self.grades.all())
        # In the admin, the form assigns the tags after this runs and checks them itself
        # (MaterialPageForm); here they are checked whenever they are already set (publishing).
        if grades or self.subject_id is None:
            errors.update(
                curriculum_tag_errors(self.subject, grades, self.topics.all(), self.outcomes.select_related("topic"))
            )
        if self.licence != Licence.ALL_RIGHTS_RESERVED and not (self.attribution or self.author_name or self.owner_id):
            errors.setdefault("attribution", []).append(_("Open licences need an attribution or an author."))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        parent_school = self._school_from_tree()
        if parent_school is not None:
            self.school = parent_school
        self.audience_path = self.compute_audience_path()
        if not self.author_name and self.owner_id:
            self.author_name = self.owner.display_name
        return super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.title:
            self.slug = slugify_vi(self.title)[:200] or "hoc-lieu"
        return super().full_clean(*args, **kwargs)

    def _school_from_tree(self) -> Organisation | None:
        if self.school_id:
            return None
        # treebeard sets the path before the first save, so the parent is known already.
        parent = self.get_parent() if self.path else None
        if parent is not None and isinstance(parent.specific, SchoolLibraryPage):
            return parent.specific.school
        return None

    def compute_audience_path(self) -> str | None:
        from repository.scopes import audience_organisation

        if self.sharing_scope == SharingScope.PRIVATE or self.school_id is None:
            return None
        if self.sharing_scope == SharingScope.NATIONAL:
            return ""
        org = audience_organisation(self.school, self.sharing_scope)
        return org.path if org else None

    # --- Appraisal ---------------------------------------------------------------

    def get_workflow(self):
        from repository.models.appraisal import workflow_for_scope

        return workflow_for_scope(self.sharing_scope)

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    # --- Serving -------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.specific_class._meta.model_name if self.specific_class else "materialpage"

    def serve(self, request, *args, **kwargs):
        from lms import access

        if not access.can(request.user, "material.view", self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from repository.services import appraisal_history

        context = super().get_context(request, *args, **kwargs)
        context["licence_url"] = LICENCE_URLS.get(self.licence)
        context["appraisals"] = appraisal_history(self)
        return context


class LessonPage(MaterialPage):
    """Bài giảng điện tử / giáo án: a lesson written in the page body."""

    kind_label = _("E-lecture / lesson")
    body = StreamField(MaterialBodyBlock(), verbose_name=_("content"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("body"), *MaterialPage.metadata_panels]
    template = "repository/material_page.html"
    is_creatable = True

    class Meta:
        verbose_name = _("e-lecture / lesson")
        verbose_name_plural = _("e-lectures / lessons")


class VideoLecturePage(MaterialPage):
    """Video bài giảng: a lecture video with notes."""

    kind_label = _("Lecture video")
    video = models.ForeignKey(
        "media_pipeline.LectureVideo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lecture video"),
        help_text=_(
            "Choose one of your videos or upload a new one in the chooser; it can be chosen while it is still "
            "converting."
        ),
    )
    body = StreamField(MaterialBodyBlock(), verbose_name=_("notes"), blank=True)
    content_panels = [
        *Page.content_panels,
        FieldPanel("video"),
        VideoConversionPanel(),
        FieldPanel("body"),
        *MaterialPage.metadata_panels,
    ]
    template = "repository/material_page.html"
    is_creatable = True

    class Meta:
        verbose_name = _("lecture video")
        verbose_name_plural = _("lecture videos")


class DocumentPage(MaterialPage):
    """Tài liệu, bản trình chiếu: files (PDF, DOCX, PPTX) with a description."""

    kind_label = _("Document / slides")
    body = StreamField(MaterialBodyBlock(), verbose_name=_("files and description"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("body"), *MaterialPage.metadata_panels]
    template = "repository/material_page.html"
    is_creatable = True

    class Meta:
        verbose_name = _("document / slides")
        verbose_name_plural = _("documents / slides")


class WorksheetPage(MaterialPage):
    """Phiếu học tập."""

    kind_label = _("Worksheet")
    body = StreamField(MaterialBodyBlock(), verbose_name=_("content"), blank=True)
    answer_notes = models.TextField(_("answers for teachers"), blank=True)
    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("answer_notes"),
        *MaterialPage.metadata_panels,
    ]
    template = "repository/material_page.html"
    is_creatable = True

    class Meta:
        verbose_name = _("worksheet")
        verbose_name_plural = _("worksheets")


class TestPaperPage(MaterialPage):
    """Đề kiểm tra: a test paper with its duration and total score."""

    kind_label = _("Test paper")
    body = StreamField(MaterialBodyBlock(), verbose_name=_("paper"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("test duration (minutes)"), default=45)
    total_points = models.DecimalField(_("total points"), max_digits=5, decimal_places=2, default=10)
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("total_points")]),
        FieldPanel("body"),
        *MaterialPage.metadata_panels,
    ]
    template = "repository/material_page.html"
    is_creatable = True

    class Meta:
        verbose_name = _("test paper")
        verbose_name_plural = _("test papers")


class ExternalResourcePage(MaterialPage):
    """Thí nghiệm mô phỏng, phần mềm dạy học, or another resource reached by a link."""

    kind_label = _("Simulation / external resource")
    url = models.URLField(_("address"), max_length=500)
    is_simulation = models.BooleanField(_("virtual lab / simulation"), default=False)
    body = StreamField(MaterialBodyBlock(), verbose_name=_("how to use it"), blank=True)
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("url"), FieldPanel("is_simulation")]),
        FieldPanel("body"),
        *MaterialPage.metadata_panels,
    ]
    template = "repository/material_page.html"
    is_creatable = True

    class Meta:
        verbose_name = _("simulation / external resource")
        verbose_name_plural = _("simulations / external resources")


MATERIAL_KINDS = [LessonPage, VideoLecturePage, DocumentPage, WorksheetPage, TestPaperPage, ExternalResourcePage]
