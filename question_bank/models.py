"""The question bank's tables: categories, cognitive levels, questions and their immutable versions.

* A :class:`Question` holds what may change without changing what students answer: owner,
  school, sharing scope, status, category, tags, curriculum links, cognitive level.
* A :class:`QuestionVersion` holds the content (the IR of :mod:`question_bank.ir` as JSON,
  NFC-normalised). Versions are never updated: editing makes version n+1 and points
  ``Question.current_version`` at it, so attempts and papers keep the version they used.
* Visibility is a denormalised ``audience_path`` as in the library: ``""`` for national,
  the path of the organisation the scope reaches, NULL for "only the owner".

State changes go through :mod:`question_bank.services`; nothing else writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from treebeard.mp_tree import MP_Node

from lms.curriculum.models import Grade, Outcome, Subject, Topic
from lms.orgs.models import Organisation
from question_bank import serialize
from question_bank.ir import QuestionData


class SharingScope(models.TextChoices):
    """The library's scopes (same values), so a school shares questions as it shares materials."""

    PRIVATE = "private", _("Only me")
    SCHOOL = "school", _("My school")
    COMMUNE = "commune", _("My commune/ward")
    PROVINCE = "province", _("My province/city")
    NATIONAL = "national", _("Everyone (national)")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready for review")
    APPROVED = "approved", _("Approved")


class LevelScheme(models.Model):
    """A way of naming cognitive levels (four levels, CV 7991's three, Circular 27's three)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("cognitive-level scheme")
        verbose_name_plural = _("cognitive-level schemes")

    def __str__(self) -> str:
        return self.name


class CognitiveLevel(models.Model):
    scheme = models.ForeignKey(LevelScheme, on_delete=models.CASCADE, related_name="levels", verbose_name=_("scheme"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=10)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 for the lowest level."))

    class Meta:
        ordering = ["scheme__order", "rank"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="qb_unique_level_code")]
        verbose_name = _("cognitive level")
        verbose_name_plural = _("cognitive levels")

    def __str__(self) -> str:
        return self.name

    def map_to(self, scheme: LevelScheme) -> CognitiveLevel | None:
        """The level of ``scheme`` this level counts as (itself within its own scheme)."""
        if self.scheme_id == scheme.pk:
            return self
        mapping = self.mappings.filter(target__scheme=scheme).select_related("target").first()
        return mapping.target if mapping else None


class LevelMapping(models.Model):
    """``source`` counts as ``target`` in the target's scheme (one target per scheme)."""

    source = models.ForeignKey(CognitiveLevel, on_delete=models.CASCADE, related_name="mappings")
    target = models.ForeignKey(CognitiveLevel, on_delete=models.CASCADE, related_name="mapped_from")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="qb_unique_level_mapping")]
        verbose_name = _("level mapping")
        verbose_name_plural = _("level mappings")

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def clean(self) -> None:
        if self.source_id and self.target_id:
            if self.source.scheme_id == self.target.scheme_id:
                raise ValidationError(_("A level maps to a level of another scheme."))
            clash = LevelMapping.objects.filter(source=self.source, target__scheme=self.target.scheme_id)
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError(_("This level already maps to a level of that scheme."))


class QuestionCategory(MP_Node):
    """A category tree, as Moodle's: each root belongs to a school, or to everyone when ``school`` is empty."""

    name = models.CharField(_("name"), max_length=255)
    school = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="question_categories",
        verbose_name=_("school"),
    )
    info = models.TextField(_("description"), blank=True)
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return " / ".join(c.name for c in self.get_ancestors()) + (" / " if self.depth > 1 else "") + self.name

    def names(self) -> tuple[str, ...]:
        """The names from the root down to this category."""
        return (*(c.name for c in self.get_ancestors()), self.name)


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey("Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("owner"),
    )
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("school"),
    )
    sharing_scope = models.CharField(
        _("share with"), max_length=16, choices=SharingScope.choices, default=SharingScope.SCHOOL
    )
    # "" = everyone, an organisation path = members of that subtree, NULL = only the owner.
    audience_path = models.CharField(  # noqa: DJ001 - NULL (owner only) is not "" (everyone)
        max_length=255, null=True, blank=True, editable=False, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT, db_index=True
    )
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions", verbose_name=_("category")
    )
    idnumber = models.CharField(_("ID number"), max_length=100, blank=True)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="questions", verbose_name=_("subject")
    )
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="questions", verbose_name=_("grade")
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="questions", verbose_name=_("topic")
    )
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("required outcome"),
    )
    level = models.ForeignKey(
        CognitiveLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("cognitive level"),
    )
    current_version = models.OneToOneField(
        "QuestionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="current_for",
        verbose_name=_("current version"),
    )
    tags = TaggableManager(through=TaggedQuestion, blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Questions point at curriculum rows and categories, never at pages or documents: Wagtail's
    # usage index has nothing to learn from them, and indexing would cost a task per save.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["subject", "grade", "status"])]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        version = self.current_version
        if version is None:
            return f"#{self.pk}"
        return version.name or version.summary

    def clean(self) -> None:
        errors = {}
        if self.outcome_id and self.topic_id and self.outcome.topic_id != self.topic_id:
            errors["outcome"] = _("This outcome belongs to another topic.")
        if self.topic_id:
            if self.subject_id and self.topic.subject_id != self.subject_id:
                errors["topic"] = _("This topic belongs to another subject.")
            elif self.grade_id and self.topic.grade_id != self.grade_id:
                errors["topic"] = _("This topic belongs to another grade.")
        if self.category_id and self.school_id and self.category.school_id not in (None, self.school_id):
            errors["category"] = _("This category belongs to another school.")
        if errors:
            raise ValidationError(errors)

    def fill_curriculum_from_links(self) -> None:
        """Outcome implies topic; topic implies subject and grade."""
        if self.outcome_id and not self.topic_id:
            self.topic_id = self.outcome.topic_id
        if self.topic_id:
            self.subject_id = self.subject_id or self.topic.subject_id
            self.grade_id = self.grade_id or self.topic.grade_id


class QuestionVersion(models.Model):
    """One immutable version of a question's content. Never updated once saved."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    qtype = models.CharField(_("type"), max_length=40, db_index=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    data = models.JSONField(_("content"))
    plain_text = models.TextField(_("text"), editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="qb_unique_version_number")]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")

    def __str__(self) -> str:
        return f"{self.name or self.summary} (v{self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Question versions are immutable; edit the question to make a new version.")
        super().save(*args, **kwargs)

    @property
    def content(self) -> QuestionData:
        """The version's question as the IR (without bank metadata: tags and category live on the question)."""
        return serialize.from_json_dict(self.data)

    @property
    def summary(self) -> str:
        text = " ".join(self.plain_text.split())
        return text[:80] + ("…" if len(text) > 80 else "")


class VersionStatistics(models.Model):
    """Facility and discrimination of one question version, from its attempts (see ``statistics``)."""

    version = models.OneToOneField(
        QuestionVersion, on_delete=models.CASCADE, related_name="statistics", verbose_name=_("question version")
    )
    attempts = models.PositiveIntegerField(_("attempts"))
    facility = models.FloatField(_("facility index"), null=True, blank=True)
    discrimination = models.FloatField(_("discrimination index"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("question statistics")
        verbose_name_plural = _("question statistics")

    def __str__(self) -> str:
        return f"{self.version}: {self.attempts}"


# --- Blueprint papers (ma trận đề) -----------------------------------------------------------


class Blueprint(models.Model):
    """A test matrix owned by a teacher of a school; ``matrix`` is the engine's ``Blueprint.to_dict()``.

    Rows are the subject's topics for the grade, levels the scheme's; the engine checks the matrix
    (``question_bank.blueprint.check_blueprint``) before it is saved and before papers are drawn.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="blueprints", verbose_name=_("owner")
    )
    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="blueprints", verbose_name=_("school")
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+", verbose_name=_("grade"))
    title = models.CharField(_("title"), max_length=255)
    total_points = models.DecimalField(_("total points"), max_digits=6, decimal_places=2, default=10)
    duration_minutes = models.PositiveSmallIntegerField(_("time (minutes)"), null=True, blank=True)
    scheme = models.ForeignKey(
        LevelScheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("cognitive-level scheme")
    )
    matrix = models.JSONField(_("matrix"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("blueprint")
        verbose_name_plural = _("blueprints")

    def __str__(self) -> str:
        return self.title


class GeneratedPaperSet(models.Model):
    """Variants drawn at once from a blueprint: the matrix as it was, the seed and the settings."""

    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="paper_sets", verbose_name=_("blueprint")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    seed = models.CharField(_("seed"), max_length=100)
    matrix = models.JSONField(_("matrix"))
    settings = models.JSONField(_("settings"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated paper set")
        verbose_name_plural = _("generated paper sets")

    def __str__(self) -> str:
        return f"{self.blueprint} ({self.seed})"


class GeneratedPaper(models.Model):
    """One variant (mã đề): the engine's ``Paper.to_dict()`` with each item's row, level and format.

    ``version_ids`` freezes the question versions used, so the paper reprints (and becomes an
    online quiz) as it was drawn whatever later edits make of the questions.
    """

    paper_set = models.ForeignKey(
        GeneratedPaperSet, on_delete=models.CASCADE, related_name="papers", verbose_name=_("paper set")
    )
    code = models.CharField(_("paper code"), max_length=20)
    data = models.JSONField(_("paper"))
    version_ids = models.JSONField(_("question versions"), default=list)

    class Meta:
        ordering = ["paper_set", "code"]
        constraints = [models.UniqueConstraint(fields=["paper_set", "code"], name="qb_unique_paper_code")]
        verbose_name = _("generated paper")
        verbose_name_plural = _("generated papers")

    def __str__(self) -> str:
        return f"{self.paper_set.blueprint} – {self.code}"
