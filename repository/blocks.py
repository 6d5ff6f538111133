"""The blocks a material's body is made of."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from repository.choosers import LectureVideoChooserBlock

ALLOWED_FILE_EXTENSIONS = ("pdf", "docx", "pptx", "xlsx", "odt", "odp")


def max_file_bytes() -> int:
    return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", 50 * 1024 * 1024)


class MathBlock(blocks.StructBlock):
    """A displayed formula in LaTeX, rendered in the browser by KaTeX."""

    latex = blocks.TextBlock(label=_("LaTeX"), help_text=_(r"For example \frac{a}{b} + \sqrt{x}"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "code"
        label = _("Formula")
        template = "repository/blocks/math.html"

    def clean(self, value):
        value = super().clean(value)
        latex = value.get("latex", "")
        if latex.count("{") != latex.count("}"):
            raise ValidationError(_("The formula has unbalanced braces { }."))
        if "$$" in latex:
            raise ValidationError(_("Write the formula without $$ delimiters."))
        return value


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        max_length=250,
        help_text=_("What the image shows, for learners who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "repository/blocks/figure.html"


class FileBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("file"))
    description = blocks.CharBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("File (PDF, DOCX, PPTX)")
        template = "repository/blocks/file.html"

    def clean(self, value):
        value = super().clean(value)
        document = value.get("document")
        if document is not None:
            extension = document.file_extension.lower()
            if extension not in ALLOWED_FILE_EXTENSIONS:
                raise ValidationError(
                    _("Files of type .%(ext)s cannot be attached; use %(allowed)s.")
                    % {"ext": extension, "allowed": ", ".join(ALLOWED_FILE_EXTENSIONS)}
                )
            size = document.get_file_size()
            if size is not None and size > max_file_bytes():
                raise ValidationError(
                    _("The file is larger than %(mb)s MB.") % {"mb": max_file_bytes() // (1024 * 1024)}
                )
        return value


class VideoBlock(blocks.StructBlock):
    """A lecture video from the media pipeline, played adaptively on the page."""

    video = LectureVideoChooserBlock(label=_("lecture video"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Lecture video")
        template = "repository/blocks/video.html"


class QuestionSetBlock(blocks.StructBlock):
    """Questions from the question bank, shown as learners see them (never with their answers)."""

    title = blocks.CharBlock(label=_("title"), required=False, help_text=_("For example: Practice questions"))
    questions = blocks.ListBlock(
        SnippetChooserBlock("question_bank.Question"), label=_("questions"), min_num=1, max_num=50
    )

    class Meta:
        icon = "help"
        label = _("Question set")
        template = "repository/blocks/question_set.html"

    def get_context(self, value, parent_context=None):
        from question_bank.rendering import student_view

        context = super().get_context(value, parent_context=parent_context)
        prefix = f"qs{uuid.uuid4().hex[:8]}"
        context["items"] = [
            student_view(question.current_version.content, prefix=f"{prefix}-{number}")
            for number, question in enumerate(value.get("questions") or [], start=1)
            if question is not None and question.current_version is not None
        ]
        return context


class MaterialBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "superscript", "subscript", "hr"],
        help_text=_(r"Inline math between \( and \), e.g. \(x^2 + 1\)."),
    )
    formula = MathBlock()
    figure = FigureBlock()
    file = FileBlock()
    video = VideoBlock()
    question_set = QuestionSetBlock()

    class Meta:
        block_counts = {}
